using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Msp.Data;
using Msp.KnownParties;
using Msp.ServiceDefaults.Identity;
using Msp.Testing;

namespace Msp.Gateway.Tests.Edge;

/// <summary>A gateway whose per-tenant limit is small enough to reach (and the per-address one out of the way).</summary>
public sealed class TenantLimitedGatewayFactory : GatewayFactory
{
    public const int Limit = 3;

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Msp:Edge:PerTenant:PermitLimit", Limit.ToString());
        builder.UseSetting("Msp:Edge:PerTenant:Window", "00:01:00");
        builder.UseSetting("Msp:Edge:PerClientAddress:PermitLimit", "100000");
    }
}

public sealed class TokenAtTheEdgeTests(TenantLimitedGatewayFactory gateway) : IClassFixture<TenantLimitedGatewayFactory>
{
    private HttpClient As(Caller caller) => gateway.CreateClient().SignedIn(TestTokens.For(gateway.Services, caller));

    [Fact]
    public async Task AValidToken_IsForwardedAsItCame()
    {
        var client = As(Caller.Staff(MspRoles.Operator));

        var response = await client.GetAsync("/api/tenants/echo");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var echoed = await response.Content.ReadFromJsonAsync<JsonElement>();
        echoed.GetProperty("headers").GetProperty("authorization").GetString().ShouldBe(client.DefaultRequestHeaders.Authorization!.ToString());
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("CfDJ8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task AnUnreadableToken_IsRefusedAtTheEdge_AndNotForwarded(string token)
    {
        var response = await gateway.CreateClient().SignedIn(token).GetAsync("/api/tenants/echo");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.Contains("X-Upstream").ShouldBeFalse();
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        response.Headers.WwwAuthenticate.ToString().ShouldContain("invalid_token");
    }

    [Fact]
    public async Task AnExpiredToken_IsRefusedAtTheEdge()
    {
        var token = TestTokens.For(gateway.Services, Caller.Staff(MspRoles.Admin), issuedAt: DateTimeOffset.UtcNow.AddHours(-2));

        var response = await gateway.CreateClient().SignedIn(token).GetAsync("/api/tenants/echo");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.Contains("X-Upstream").ShouldBeFalse();
    }

    [Fact]
    public async Task ATenantsUsers_ShareOneLimit_AndAnotherTenantIsNotHeldBack()
    {
        var tenant = Guid.CreateVersion7();
        var first = As(Caller.Client(MspRoles.ClientUser, tenant));
        var second = As(Caller.Client(MspRoles.ClientAdmin, tenant));
        var neighbour = As(Caller.Client(MspRoles.ClientUser, Guid.CreateVersion7()));

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < TenantLimitedGatewayFactory.Limit; i++)
        {
            answers.Add((await (i % 2 == 0 ? first : second).GetAsync("/api/tenants/echo")).StatusCode);
        }

        var refused = await second.GetAsync("/api/tenants/echo");

        answers.ShouldAllBe(s => s == HttpStatusCode.OK);
        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        int.Parse(refused.Headers.GetValues("Retry-After").Single()).ShouldBeInRange(1, 60);
        (await neighbour.GetAsync("/api/tenants/echo")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
