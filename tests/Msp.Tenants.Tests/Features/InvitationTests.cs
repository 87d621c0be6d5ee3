using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Tenants.Domain;

namespace Msp.Tenants.Tests.Features;

[Collection(nameof(TenantsCollection))]
public sealed class InvitationTests(TenantsFactory factory)
{
    private const string Password = "a long enough password";

    private static string Email() => $"i{Guid.NewGuid():N}@tests.local";

    private async Task<JsonElement> InviteAsync(HttpClient by, Guid tenantId, string email, string role = Roles.ClientUser)
    {
        var response = await by.PostAsJsonAsync($"/api/tenants/{tenantId}/users", new { email, displayName = "Invited", role });
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private Task<HttpResponseMessage> AcceptAsync(string token, string password) =>
        factory.CreateClient().PostAsJsonAsync("/api/auth/invitations/accept", new { token, password });

    [Fact]
    public async Task AnInvitedUser_SetsTheirPasswordOnce_ThenSignsInToTheirTenant()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var email = Email();
        var invitation = await InviteAsync(factory.Admin, tenant, email);
        var token = invitation.GetProperty("invitationToken").GetString()!;
        (await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password = Password })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        (await AcceptAsync(token, Password)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var second = await AcceptAsync(token, "another long password");

        second.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("token", out _).ShouldBeTrue();
        var client = await factory.SignedInClientAsync(email, Password);
        (await client.GetFromJsonAsync<JsonElement>("/api/auth/me")).GetProperty("tenantId").GetGuid().ShouldBe(tenant);
        (await factory.Database.ScalarAsync<string>("SELECT message_type FROM outbox WHERE payload->>'email' = $1", email))
            .ShouldBe("Msp.Contracts.Tenants.UserInvited");
    }

    [Fact]
    public async Task AWeakPassword_IsRefusedNamingThePassword_AndTheInvitationStaysUsable()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var token = (await InviteAsync(factory.Admin, tenant, Email())).GetProperty("invitationToken").GetString()!;

        var weak = await AcceptAsync(token, "short");

        weak.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await weak.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("password", out _).ShouldBeTrue();
        (await AcceptAsync(token, Password)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task AClientAdmin_InvitesIntoTheirOwnTenantOnly()
    {
        var own = await factory.CreateTenantAsync(factory.Admin);
        var other = await factory.CreateTenantAsync(factory.Admin);
        var admin = await factory.CreateUserAsync(Roles.ClientAdmin, Password, own);
        var client = await factory.SignedInClientAsync(admin.Email!, Password);

        await InviteAsync(client, own, Email());
        var elsewhere = await client.PostAsJsonAsync($"/api/tenants/{other}/users", new { email = Email(), displayName = "X", role = Roles.ClientUser });
        var staffRole = await client.PostAsJsonAsync($"/api/tenants/{own}/users", new { email = Email(), displayName = "X", role = Roles.Admin });

        elsewhere.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        staffRole.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await staffRole.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("role", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task InvitingATakenEmail_AnswersConflictAndCreatesNoOne()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var email = Email();
        await InviteAsync(factory.Admin, tenant, email);

        var again = await factory.Admin.PostAsJsonAsync($"/api/tenants/{tenant}/users", new { email, displayName = "Again", role = Roles.ClientUser });

        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM users WHERE email = $1", email)).ShouldBe(1);
    }

    [Fact]
    public async Task ATechnician_SeesExactlyTheTenantsAssignedToThem()
    {
        var assigned = await factory.CreateTenantAsync(factory.Admin);
        var notAssigned = await factory.CreateTenantAsync(factory.Admin);
        var staff = await factory.Admin.PostAsJsonAsync("/api/staff", new { email = Email(), displayName = "Tech", role = Roles.Technician });
        staff.StatusCode.ShouldBe(HttpStatusCode.Created);
        var invitation = await staff.Content.ReadFromJsonAsync<JsonElement>();
        (await AcceptAsync(invitation.GetProperty("invitationToken").GetString()!, Password)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var assign = await factory.Admin.PutAsJsonAsync($"/api/staff/{invitation.GetProperty("id").GetGuid()}/tenants", new { allTenants = false, tenantIds = new[] { assigned } });
        assign.StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var technician = await factory.SignedInClientAsync(invitation.GetProperty("email").GetString()!, Password);
        (await technician.GetAsync($"/api/tenants/{assigned}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await technician.GetAsync($"/api/tenants/{notAssigned}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var scope = (await technician.GetFromJsonAsync<JsonElement>("/api/auth/me")).GetProperty("scope");
        scope.GetProperty("tenantIds").EnumerateArray().Select(t => t.GetGuid()).ShouldBe([assigned]);
    }

    [Fact]
    public async Task OnlyAnAdmin_InvitesStaff()
    {
        var operatorUser = await factory.CreateUserAsync(Roles.Operator, Password);
        var client = await factory.SignedInClientAsync(operatorUser.Email!, Password);

        var response = await client.PostAsJsonAsync("/api/staff", new { email = Email(), displayName = "X", role = Roles.Admin });

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
