using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Tenants.Domain;
using Msp.Testing;

namespace Msp.Tenants.Tests.Features.ChangeStaffRole;

/// <summary>On a Tenants host of their own: these tests count and demote every Admin of the database.</summary>
[Collection(nameof(StaffRolesCollection))]
public sealed class ChangeStaffRoleTests(TenantsFactory factory)
{
    private const string Password = "a long enough password";

    private Task<HttpResponseMessage> ChangeAsync(HttpClient by, Guid id, string? role) => by.PutAsJsonAsync($"/api/staff/{id}/role", new { role });

    [Fact]
    public async Task AnAdmin_MakesATechnicianAnOperator_WhoseOldTokenIsRefusedAndNewOneCarriesTheRole()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var user = await factory.CreateUserAsync(Roles.Technician, Password);
        var (oldAccess, refresh) = await factory.LoginAsync(user.Email!, Password);

        var changed = await (await ChangeAsync(factory.Admin, user.Id, Roles.Operator)).JsonAsync(HttpStatusCode.OK);

        changed.GetProperty("role").GetString().ShouldBe(Roles.Operator);
        changed.GetProperty("allTenants").GetBoolean().ShouldBeTrue();
        (await factory.ClientWith(oldAccess).GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var refreshed = await (await factory.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = refresh })).JsonAsync(HttpStatusCode.OK);
        var client = factory.ClientWith(refreshed.GetProperty("accessToken").GetString()!);
        (await client.GetFromJsonAsync<JsonElement>("/api/auth/me")).GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ShouldBe([Roles.Operator]);
        (await client.GetAsync($"/api/tenants/{tenant}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var announced = (await factory.LastEventAsync("UserRoleChanged", user.Id))!.Value;
        announced.GetProperty("role").GetString().ShouldBe(Roles.Operator);
        announced.GetProperty("tenantId").GetGuid().ShouldBe(Guid.Empty);
    }

    [Fact]
    public async Task TheSameRoleAgain_ChangesNothing()
    {
        var user = await factory.CreateUserAsync(Roles.Operator, Password);

        (await ChangeAsync(factory.Admin, user.Id, Roles.Operator)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await factory.EventCountAsync("UserRoleChanged", user.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task DemotingTheLastActiveAdmin_IsAConflictNamingTheRole()
    {
        var me = await factory.Admin.GetFromJsonAsync<JsonElement>("/api/auth/me");
        var self = me.GetProperty("id").GetGuid();
        var others = await AdminsOtherThanAsync(self);
        foreach (var other in others)
        {
            (await ChangeAsync(factory.Admin, other, Roles.Operator)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await (await ChangeAsync(factory.Admin, self, Roles.Operator)).ShouldNameAsync(HttpStatusCode.Conflict, "role");

        (await factory.Database.ScalarAsync<long>("""
            SELECT count(*) FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
            WHERE r.name = 'Admin' AND u.is_active
            """)).ShouldBe(1);
        (await factory.Admin.GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TwoAdminsDemotingEachOtherAtOnce_LeaveOneAdmin()
    {
        var first = await factory.CreateUserAsync(Roles.Admin, Password);
        var second = await factory.CreateUserAsync(Roles.Admin, Password);
        var firstClient = await factory.SignedInClientAsync(first.Email!, Password);
        var secondClient = await factory.SignedInClientAsync(second.Email!, Password);
        var self = (await factory.Admin.GetFromJsonAsync<JsonElement>("/api/auth/me")).GetProperty("id").GetGuid();
        foreach (var other in (await AdminsOtherThanAsync(self)).Where(id => id != first.Id && id != second.Id))
        {
            (await ChangeAsync(factory.Admin, other, Roles.Operator)).EnsureSuccessStatusCode();
        }

        (await ChangeAsync(firstClient, self, Roles.Operator)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var answers = await ProblemAssertions.AllAtOnceAsync(2, i => i == 0 ? ChangeAsync(firstClient, second.Id, Roles.Technician) : ChangeAsync(secondClient, first.Id, Roles.Technician));

        answers.Select(a => a.StatusCode).ShouldAllBe(s => s == HttpStatusCode.OK || s == HttpStatusCode.Conflict || s == HttpStatusCode.Unauthorized);
        (await factory.Database.ScalarAsync<long>("""
            SELECT count(*) FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
            WHERE r.name = 'Admin' AND u.is_active AND u.id = ANY($1)
            """, new[] { first.Id, second.Id })).ShouldBe(1);

        // Put the first Admin back for the tests that follow, and sign them in again (their role changed twice).
        var survivor = await factory.Database.ScalarAsync<bool>("SELECT EXISTS (SELECT FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE r.name = 'Admin' AND ur.user_id = $1)", first.Id)
            ? firstClient : secondClient;
        (await ChangeAsync(survivor, self, Roles.Admin)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await factory.ReSignInAdminAsync();
    }

    [Fact]
    public async Task TheSameChangeAtOnce_OneWins_TheOthersConflict()
    {
        var user = await factory.CreateUserAsync(Roles.Technician, Password);

        var answers = await ProblemAssertions.AllAtOnceAsync(4, _ => ChangeAsync(factory.Admin, user.Id, Roles.Operator));

        answers.Select(a => a.StatusCode).ShouldAllBe(s => s == HttpStatusCode.OK || s == HttpStatusCode.Conflict);
        answers.ShouldContain(a => a.StatusCode == HttpStatusCode.OK);
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM user_roles WHERE user_id = $1", user.Id)).ShouldBe(1);
    }

    [Theory]
    [InlineData(Roles.ClientAdmin)]
    [InlineData("Owner")]
    [InlineData("")]
    [InlineData(null)]
    public async Task ARoleThatIsNotStaffs_IsNamed(string? role)
    {
        var user = await factory.CreateUserAsync(Roles.Technician, Password);

        await (await ChangeAsync(factory.Admin, user.Id, role)).ShouldNameAsync(HttpStatusCode.BadRequest, "role");
    }

    [Fact]
    public async Task AClientUserOrUnknownId_IsNotFound_AndOnlyAnAdminChangesRoles()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var client = await factory.CreateUserAsync(Roles.ClientUser, Password, tenant);
        var technician = await factory.CreateUserAsync(Roles.Technician, Password);
        var operatorClient = await factory.SignedInClientAsync((await factory.CreateUserAsync(Roles.Operator, Password)).Email!, Password);

        (await ChangeAsync(factory.Admin, client.Id, Roles.Operator)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await ChangeAsync(factory.Admin, Guid.CreateVersion7(), Roles.Operator)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await ChangeAsync(operatorClient, technician.Id, Roles.Operator)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await ChangeAsync(factory.CreateClient(), technician.Id, Roles.Operator)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    private async Task<List<Guid>> AdminsOtherThanAsync(Guid self)
    {
        var ids = await factory.Database.ScalarAsync<string>("""
            SELECT coalesce(string_agg(u.id::text, ','), '') FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
            WHERE r.name = 'Admin' AND u.is_active AND u.id <> $1
            """, self);
        return [.. ids.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse)];
    }
}

[CollectionDefinition(nameof(StaffRolesCollection))]
public sealed class StaffRolesCollection : ICollectionFixture<TenantsFactory>;
