using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Tenants.Domain;

namespace Msp.Tenants.Tests.Features;

/// <summary>Who reaches which tenant, case by case (the matrix over every endpoint is <see cref="AccessMatrixTests"/>).</summary>
[Collection(nameof(TenantsCollection))]
public sealed class TenantAccessTests(TenantsFactory factory)
{
    private const string Password = "a long enough password";

    private static object Body(string slug) => new { name = "Changed", slug, timeZone = "UTC", country = "FR" };

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
