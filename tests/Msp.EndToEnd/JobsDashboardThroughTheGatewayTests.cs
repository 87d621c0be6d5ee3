using System.Net;

using Msp.Testing;

namespace Msp.EndToEnd;

/// <summary>Each service's Hangfire dashboard is reachable through the gateway, for Admins only (decision 0023).</summary>
[Collection(nameof(PlatformCollection))]
public sealed class JobsDashboardThroughTheGatewayTests(Platform platform)
{
    [Theory]
    [InlineData("/api/tickets/jobs")]
    [InlineData("/api/billing/jobs")]
    public async Task TheJobsDashboard_AnswersAnAdmin_AndRefusesEveryoneElse(string dashboard)
    {
        var admin = await platform.Gateway.GetAsync(dashboard);
        admin.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.Content.ReadAsStringAsync()).ShouldContain("Hangfire");
        var (tenantId, _) = await platform.CreateTenantAsync();

        (await platform.Anonymous().GetAsync(dashboard)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        foreach (var (role, tenant) in new[] { ("Operator", (Guid?)null), ("Technician", null), ("ClientAdmin", tenantId) })
        {
            var (_, client) = await platform.SignedInUserAsync(role, tenant, tenantId);
            var refused = await client.GetAsync(dashboard);
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden, role);
            (await refused.Content.ReadAsStringAsync()).ShouldNotContain("Hangfire", Case.Insensitive, role);
        }
    }
}
