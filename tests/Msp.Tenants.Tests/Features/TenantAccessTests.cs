using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Msp.Tenants.Domain;

namespace Msp.Tenants.Tests.Features;

/// <summary>Who reaches which tenant, tried from outside. The endpoint list comes from the running service, so an
/// endpoint added later is covered without editing this test.</summary>
[Collection(nameof(TenantsCollection))]
public sealed class TenantAccessTests(TenantsFactory factory)
{
    private const string Password = "a long enough password";

    private static object Body(string slug) => new { name = "Changed", slug, timeZone = "UTC", country = "FR" };

    /// <summary>Every /api endpoint of the running service that does not explicitly allow anonymous callers,
    /// with its route filled in for <paramref name="id"/>.</summary>
    private IEnumerable<(string Method, string Url)> ProtectedEndpoints(Guid id) =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is null)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m =>
                (m, System.Text.RegularExpressions.Regex.Replace(e.RoutePattern.RawText!, "{[^}]+}", id.ToString()).TrimEnd('/'))));

    private static HttpRequestMessage Request(string method, string url) =>
        new(new HttpMethod(method), url) { Content = method is "POST" or "PUT" ? JsonContent.Create(Body("a" + Guid.NewGuid().ToString("N")[..10])) : null };

    [Fact]
    public async Task EveryProtectedEndpoint_WithoutAToken_AnswersUnauthorized()
    {
        var tenantId = await factory.CreateTenantAsync(factory.Admin);
        var anonymous = factory.CreateClient();
        var endpoints = ProtectedEndpoints(tenantId).ToList();

        endpoints.Select(e => e.Url).ShouldContain("/api/auth/me");
        endpoints.Count.ShouldBeGreaterThanOrEqualTo(6);
        foreach (var (method, url) in endpoints)
        {
            (await anonymous.SendAsync(Request(method, url))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"{method} {url}");
        }
    }

    [Fact]
    public async Task AClientUser_ReadsTheirOwnTenant_AndAnotherTenantIsNotFound()
    {
        var own = await factory.CreateTenantAsync(factory.Admin);
        var other = await factory.CreateTenantAsync(factory.Admin);
        var user = await factory.CreateUserAsync(Roles.ClientUser, Password, own);
        var client = await factory.SignedInClientAsync(user.Email!, Password);

        (await client.GetAsync($"/api/tenants/{own}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync($"/api/tenants/{other}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var listed = await client.GetFromJsonAsync<JsonElement>("/api/tenants?limit=200");
        listed.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ShouldBe([own]);
    }

    [Fact]
    public async Task ClientRoles_CannotCreateOrChangeTenants_AndNothingChanges()
    {
        var own = await factory.CreateTenantAsync(factory.Admin);
        var other = await factory.CreateTenantAsync(factory.Admin);
        var before = await factory.Database.ScalarAsync<long>("SELECT count(*) FROM tenants");
        foreach (var role in new[] { Roles.ClientUser, Roles.ClientAdmin })
        {
            var user = await factory.CreateUserAsync(role, Password, own);
            var client = await factory.SignedInClientAsync(user.Email!, Password);

            (await client.PostAsJsonAsync("/api/tenants", Body("c" + Guid.NewGuid().ToString("N")[..10]))).StatusCode.ShouldBe(HttpStatusCode.Forbidden, role);
            (await client.PutAsJsonAsync($"/api/tenants/{own}", Body("c" + Guid.NewGuid().ToString("N")[..10]))).StatusCode.ShouldBe(HttpStatusCode.Forbidden, role);
            (await client.PutAsJsonAsync($"/api/tenants/{other}", Body("c" + Guid.NewGuid().ToString("N")[..10]))).StatusCode.ShouldBe(HttpStatusCode.Forbidden, role);
        }

        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM tenants")).ShouldBe(before);
        (await factory.Database.ScalarAsync<string>("SELECT name FROM tenants WHERE id = $1", other)).ShouldNotBe("Changed");
    }

    [Fact]
    public async Task ATechnicianWithNoAssignedTenants_SeesNone()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var user = await factory.CreateUserAsync(Roles.Technician, Password);
        var client = await factory.SignedInClientAsync(user.Email!, Password);

        (await client.GetAsync($"/api/tenants/{tenant}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetFromJsonAsync<JsonElement>("/api/tenants")).GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task AnOperator_ManagesEveryTenant()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var user = await factory.CreateUserAsync(Roles.Operator, Password);
        var client = await factory.SignedInClientAsync(user.Email!, Password);

        (await client.GetAsync($"/api/tenants/{tenant}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.PutAsJsonAsync($"/api/tenants/{tenant}", Body("o" + Guid.NewGuid().ToString("N")[..10]))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
