using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Tenants.Domain;
using Msp.Testing;

namespace Msp.Tenants.Tests.Features.ListStaff;

[Collection(nameof(TenantsCollection))]
public sealed class ListStaffTests(TenantsFactory factory)
{
    private const string Password = "a long enough password";

    private async Task<User> TechnicianAsync(string name, bool allTenants = false, params Guid[] tenants)
    {
        var technician = await factory.CreateUserAsync(Roles.Technician, Password, displayName: name);
        (await factory.Admin.PutAsJsonAsync($"/api/staff/{technician.Id}/tenants", new { allTenants, tenantIds = tenants })).EnsureSuccessStatusCode();
        return technician;
    }

    private static JsonElement[] Items(JsonElement page) => [.. page.GetProperty("items").EnumerateArray()];

    [Fact]
    public async Task ATechnician_ListsColleaguesByName_WithTheTenantsTheyServeWithinTheirOwnScope()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var a = await factory.CreateTenantAsync(factory.Admin);
        var b = await factory.CreateTenantAsync(factory.Admin);
        var me = await TechnicianAsync($"{tag} Ada", false, a);
        var colleague = await TechnicianAsync($"{tag} Bob", false, a, b);
        await factory.CreateUserAsync(Roles.Operator, Password, displayName: $"{tag} Carla");
        var client = await factory.SignedInClientAsync(me.Email!, Password);

        var page = await client.GetFromJsonAsync<JsonElement>($"/api/staff?q={tag}");

        var items = Items(page);
        items.Select(s => s.GetProperty("displayName").GetString()).ShouldBe([$"{tag} Ada", $"{tag} Bob", $"{tag} Carla"]);
        items.Select(s => s.GetProperty("role").GetString()).ShouldBe([Roles.Technician, Roles.Technician, Roles.Operator]);
        items[1].GetProperty("id").GetGuid().ShouldBe(colleague.Id);
        items[1].GetProperty("tenantIds").EnumerateArray().Select(t => t.GetGuid()).ShouldBe([a], "b lies outside the caller's scope");
        items[1].GetProperty("allTenants").GetBoolean().ShouldBeFalse();
        items[2].GetProperty("allTenants").GetBoolean().ShouldBeTrue("operators serve every tenant");
        items[2].GetProperty("status").GetString().ShouldBe("Active");
        (await factory.Admin.GetFromJsonAsync<JsonElement>($"/api/staff?q={tag} Bob")).GetProperty("items")[0].GetProperty("tenantIds")
            .EnumerateArray().Select(t => t.GetGuid()).Order().ShouldBe(new[] { a, b }.Order());
    }

    [Fact]
    public async Task ByTenant_KeepsThoseWhoServeIt()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var a = await factory.CreateTenantAsync(factory.Admin);
        var b = await factory.CreateTenantAsync(factory.Admin);
        await TechnicianAsync($"{tag} assigned", false, a);
        await TechnicianAsync($"{tag} everywhere", true);
        await TechnicianAsync($"{tag} elsewhere", false, b);
        await factory.CreateUserAsync(Roles.Admin, Password, displayName: $"{tag} owner");

        var page = await factory.Admin.GetFromJsonAsync<JsonElement>($"/api/staff?q={tag}&tenantId={a}");

        Items(page).Select(s => s.GetProperty("displayName").GetString()).ShouldBe([$"{tag} assigned", $"{tag} everywhere", $"{tag} owner"]);
    }

    [Fact]
    public async Task ATenantOutsideATechniciansScope_IsNotFound()
    {
        var a = await factory.CreateTenantAsync(factory.Admin);
        var b = await factory.CreateTenantAsync(factory.Admin);
        var me = await TechnicianAsync("Scoped", false, a);
        var client = await factory.SignedInClientAsync(me.Email!, Password);

        (await client.GetAsync($"/api/staff?tenantId={b}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync($"/api/staff?tenantId={a}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("role", Roles.Operator)]
    [InlineData("status", "Invited")]
    public async Task RoleAndStatus_KeepTheirOwn(string filter, string value)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        await factory.CreateUserAsync(Roles.Operator, Password, displayName: $"{tag} operator");
        await factory.Admin.PostAsJsonAsync("/api/staff", new { email = $"s{Guid.NewGuid():N}@tests.local", displayName = $"{tag} invited", role = Roles.Technician });

        var page = await factory.Admin.GetFromJsonAsync<JsonElement>($"/api/staff?q={tag}&{filter}={value}");

        Items(page).Select(s => s.GetProperty("displayName").GetString()).ShouldBe([filter == "role" ? $"{tag} operator" : $"{tag} invited"]);
    }

    [Fact]
    public async Task Pages_FollowTheCursor()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        foreach (var n in new[] { "1", "2", "3" })
        {
            await factory.CreateUserAsync(Roles.Technician, Password, displayName: $"{tag} {n}");
        }

        var first = await factory.Admin.GetFromJsonAsync<JsonElement>($"/api/staff?q={tag}&limit=2");
        var second = await factory.Admin.GetFromJsonAsync<JsonElement>($"/api/staff?q={tag}&limit=2&cursor={first.GetProperty("nextCursor").GetString()}");

        Items(first).Concat(Items(second)).Select(s => s.GetProperty("displayName").GetString()).ShouldBe([$"{tag} 1", $"{tag} 2", $"{tag} 3"]);
        second.GetProperty("nextCursor").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Theory]
    [InlineData("role=ClientUser", "role")]
    [InlineData("status=Gone", "status")]
    [InlineData("tenantId=nope", "tenantId")]
    [InlineData("limit=500", "limit")]
    public async Task BadFilters_AreNamed(string query, string field)
    {
        await (await factory.Admin.GetAsync($"/api/staff?{query}")).ShouldNameAsync(HttpStatusCode.BadRequest, field);
    }

    [Theory]
    [InlineData(Roles.ClientUser)]
    [InlineData(Roles.ClientAdmin)]
    public async Task ClientRoles_AreForbidden_AndAnonymousUnauthorized(string role)
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var client = await factory.SignedInClientAsync((await factory.CreateUserAsync(role, Password, tenant)).Email!, Password);

        (await client.GetAsync("/api/staff")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await factory.CreateClient().GetAsync("/api/staff")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
