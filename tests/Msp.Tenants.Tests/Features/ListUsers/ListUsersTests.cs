using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Tenants.Domain;
using Msp.Testing;

namespace Msp.Tenants.Tests.Features.ListUsers;

[Collection(nameof(TenantsCollection))]
public sealed class ListUsersTests(TenantsFactory factory)
{
    private const string Password = "a long enough password";

    private static List<string> Names(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("displayName").GetString()!)];

    /// <summary>A tenant with an admin (Alice), an active user (Bruno), an invited user (Chloé) and a deactivated one (Dario).</summary>
    private async Task<(Guid Tenant, HttpClient ClientAdmin, Guid Deactivated)> TenantWithUsersAsync()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var admin = await factory.CreateUserAsync(Roles.ClientAdmin, Password, tenant, "Alice Admin");
        await factory.CreateUserAsync(Roles.ClientUser, Password, tenant, "Bruno Active");
        await factory.InviteAsync(factory.Admin, tenant, displayName: "Chloé Invited");
        var leaving = await factory.CreateUserAsync(Roles.ClientUser, Password, tenant, "Dario Gone");
        (await factory.Admin.PostAsync($"/api/users/{leaving.Id}/deactivate", null)).EnsureSuccessStatusCode();
        return (tenant, await factory.SignedInClientAsync(admin.Email!, Password), leaving.Id);
    }

    [Fact]
    public async Task AClientAdmin_ListsTheirTenantsUsersByName_WithTheirStatus()
    {
        var (tenant, client, deactivated) = await TenantWithUsersAsync();

        var page = await client.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenant}/users");

        Names(page).ShouldBe(["Alice Admin", "Bruno Active", "Chloé Invited", "Dario Gone"]);
        page.GetProperty("nextCursor").ValueKind.ShouldBe(JsonValueKind.Null);
        var items = page.GetProperty("items").EnumerateArray().ToList();
        items.Select(u => u.GetProperty("status").GetString()).ShouldBe(["Active", "Active", "Invited", "Deactivated"]);
        items.Select(u => u.GetProperty("role").GetString()).ShouldBe([Roles.ClientAdmin, Roles.ClientUser, Roles.ClientUser, Roles.ClientUser]);
        var gone = items[3];
        gone.GetProperty("id").GetGuid().ShouldBe(deactivated);
        gone.GetProperty("deactivatedAt").GetDateTimeOffset().ShouldBe(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        items[2].GetProperty("activatedAt").ValueKind.ShouldBe(JsonValueKind.Null);
        items[2].GetProperty("invitedAt").GetDateTimeOffset().ShouldBe(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        items[0].GetProperty("language").GetString().ShouldBe("fr");
        items[0].GetProperty("timeZone").GetString().ShouldBe("Europe/Paris");
        items[0].GetProperty("email").GetString()!.ShouldEndWith("@tests.local");
    }

    [Theory]
    [InlineData("q=DARIO", "Dario Gone")]
    [InlineData("q=bruno%20act", "Bruno Active")]
    [InlineData("status=Invited", "Chloé Invited")]
    [InlineData("status=Deactivated", "Dario Gone")]
    [InlineData("role=ClientAdmin", "Alice Admin")]
    [InlineData("role=ClientUser&status=Active", "Bruno Active")]
    public async Task Filters_KeepTheMatchingUsers(string query, string expected)
    {
        var (tenant, client, _) = await TenantWithUsersAsync();

        var page = await client.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenant}/users?{query}");

        Names(page).ShouldBe([expected]);
    }

    [Fact]
    public async Task TheQuery_FindsAFragmentOfTheEmail()
    {
        var (tenant, client, _) = await TenantWithUsersAsync();
        var email = (await client.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenant}/users?q=Bruno")).GetProperty("items")[0].GetProperty("email").GetString()!;

        var page = await client.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenant}/users?q={email[3..12].ToUpperInvariant()}");

        Names(page).ShouldBe(["Bruno Active"]);
    }

    [Fact]
    public async Task Pages_FollowTheCursor_WithoutGapsOrRepeats()
    {
        var (tenant, client, _) = await TenantWithUsersAsync();

        var first = await client.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenant}/users?limit=3");
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await client.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenant}/users?limit=3&cursor={cursor}");

        Names(first).ShouldBe(["Alice Admin", "Bruno Active", "Chloé Invited"]);
        Names(second).ShouldBe(["Dario Gone"]);
        second.GetProperty("nextCursor").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Theory]
    [InlineData("status=Sleeping", "status")]
    [InlineData("status=1", "status")]
    [InlineData("role=Admin", "role")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("cursor=nonsense", "cursor")]
    public async Task BadFilters_AreNamed(string query, string field)
    {
        var (tenant, client, _) = await TenantWithUsersAsync();

        await (await client.GetAsync($"/api/tenants/{tenant}/users?{query}")).ShouldNameAsync(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task AnotherTenant_IsNotFound_ForAClientAdmin_AndOperatorsSeeAny()
    {
        var (_, client, _) = await TenantWithUsersAsync();
        var other = await factory.CreateTenantAsync(factory.Admin);
        var operatorClient = await factory.SignedInClientAsync((await factory.CreateUserAsync(Roles.Operator, Password)).Email!, Password);

        (await client.GetAsync($"/api/tenants/{other}/users")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync($"/api/tenants/{Guid.CreateVersion7()}/users")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await operatorClient.GetAsync($"/api/tenants/{other}/users")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AClientUser_IsForbidden_AndAnonymousUnauthorized()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var user = await factory.CreateUserAsync(Roles.ClientUser, Password, tenant);
        var client = await factory.SignedInClientAsync(user.Email!, Password);

        (await client.GetAsync($"/api/tenants/{tenant}/users")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.PostAsJsonAsync($"/api/tenants/{tenant}/users", new { email = $"{Guid.NewGuid():N}@caller.test", displayName = "X", role = Roles.ClientUser }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await factory.CreateClient().GetAsync($"/api/tenants/{tenant}/users")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    /// <summary>A call from someone new becomes their ticket: a technician finds and adds callers, as ClientUsers only,
    /// in the tenants they serve, and nowhere else.</summary>
    [Fact]
    public async Task ATechnician_FindsAndAddsCallers_OnlyAsClientUsers_OnlyInTheTenantsTheyServe()
    {
        var (served, _, _) = await TenantWithUsersAsync();
        var other = await factory.CreateTenantAsync(factory.Admin);
        var technician = await factory.CreateUserAsync(Roles.Technician, Password);
        (await factory.Admin.PutAsJsonAsync($"/api/staff/{technician.Id}/tenants", new { allTenants = false, tenantIds = new[] { served } })).EnsureSuccessStatusCode();
        var client = await factory.SignedInClientAsync(technician.Email!, Password);

        Names(await client.GetFromJsonAsync<JsonElement>($"/api/tenants/{served}/users?q=bruno")).ShouldBe(["Bruno Active"]);
        (await client.GetAsync($"/api/tenants/{other}/users")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var added = await client.PostAsJsonAsync($"/api/tenants/{served}/users", new { email = $"{Guid.NewGuid():N}@caller.test", displayName = "New Caller", role = Roles.ClientUser });
        added.StatusCode.ShouldBe(HttpStatusCode.Created);
        var admin = await client.PostAsJsonAsync($"/api/tenants/{served}/users", new { email = $"{Guid.NewGuid():N}@caller.test", displayName = "Boss", role = Roles.ClientAdmin });
        admin.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await admin.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("role", out _).ShouldBeTrue();
        (await client.PostAsJsonAsync($"/api/tenants/{other}/users", new { email = $"{Guid.NewGuid():N}@caller.test", displayName = "Elsewhere", role = Roles.ClientUser }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM users WHERE tenant_id = $1", other)).ShouldBe(0);
    }
}
