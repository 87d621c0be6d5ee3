using System.Net;
using System.Net.Http.Json;
using Msp.Tenants.Domain;
using Msp.Testing;

namespace Msp.Tenants.Tests.Features.ResendInvitation;

[Collection(nameof(TenantsCollection))]
public sealed class ResendInvitationTests(TenantsFactory factory)
{
    private const string Password = "a long enough password";

    private Task<HttpResponseMessage> AcceptAsync(string token) =>
        factory.CreateClient().PostAsJsonAsync("/api/auth/invitations/accept", new { token, password = Password });

    [Fact]
    public async Task TheFirstInvitation_IsAnnouncedWithItsToken()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);

        var invited = await factory.InviteAsync(factory.Admin, tenant);

        var announced = (await factory.LastEventAsync("UserInvited", invited.Id))!.Value;
        announced.GetProperty("invitationToken").GetString().ShouldBe(invited.Token);
        announced.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(DateTimeOffset.UtcNow.AddDays(7), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task AResentInvitation_HasANewToken_AndTheOldOneStopsWorking()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var clientAdmin = await factory.SignedInClientAsync((await factory.CreateUserAsync(Roles.ClientAdmin, Password, tenant)).Email!, Password);
        var invited = await factory.InviteAsync(clientAdmin, tenant);

        var resent = await (await clientAdmin.PostAsync($"/api/users/{invited.Id}/invitation", null)).JsonAsync(HttpStatusCode.OK);

        var token = resent.GetProperty("invitationToken").GetString()!;
        token.ShouldNotBe(invited.Token);
        resent.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(DateTimeOffset.UtcNow.AddDays(7), TimeSpan.FromMinutes(1));
        (await factory.LastEventAsync("UserInvited", invited.Id))!.Value.GetProperty("invitationToken").GetString().ShouldBe(token);
        (await factory.EventCountAsync("UserInvited", invited.Id)).ShouldBe(2);
        await (await AcceptAsync(invited.Token)).ShouldNameAsync(HttpStatusCode.BadRequest, "token");
        (await AcceptAsync(token)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await factory.LoginAsync(invited.Email, Password);
        (await clientAdmin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/users/{invited.Id}")).GetProperty("activatedAt").GetDateTimeOffset()
            .ShouldBe(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task AUserWhoAccepted_IsAConflictNamingTheId()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var invited = await factory.InviteAsync(factory.Admin, tenant);
        (await AcceptAsync(invited.Token)).EnsureSuccessStatusCode();

        await (await factory.Admin.PostAsync($"/api/users/{invited.Id}/invitation", null)).ShouldNameAsync(HttpStatusCode.Conflict, "id");
        (await factory.EventCountAsync("UserInvited", invited.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task ResendsAtOnce_NeverFail_AndExactlyOneTokenWorks()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var invited = await factory.InviteAsync(factory.Admin, tenant);

        var answers = await ProblemAssertions.AllAtOnceAsync(4, _ => factory.Admin.PostAsync($"/api/users/{invited.Id}/invitation", null));

        answers.Select(a => a.StatusCode).ShouldAllBe(s => s == HttpStatusCode.OK || s == HttpStatusCode.Conflict);
        var tokens = new List<string>();
        foreach (var answer in answers.Where(a => a.StatusCode == HttpStatusCode.OK))
        {
            tokens.Add((await answer.JsonAsync(HttpStatusCode.OK)).GetProperty("invitationToken").GetString()!);
        }

        tokens.ShouldNotBeEmpty();
        var accepted = 0;
        foreach (var token in tokens.Append(invited.Token))
        {
            accepted += (await AcceptAsync(token)).StatusCode == HttpStatusCode.NoContent ? 1 : 0;
        }

        accepted.ShouldBe(1);
    }

    [Fact]
    public async Task StaffInvitations_AreResentByAnAdminOnly()
    {
        var staff = await factory.Admin.PostAsJsonAsync("/api/staff", new { email = $"s{Guid.NewGuid():N}@tests.local", displayName = "New tech", role = Roles.Technician });
        var id = (await staff.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var operatorClient = await factory.SignedInClientAsync((await factory.CreateUserAsync(Roles.Operator, Password)).Email!, Password);

        (await operatorClient.PostAsync($"/api/users/{id}/invitation", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await factory.Admin.PostAsync($"/api/users/{id}/invitation", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await factory.LastEventAsync("UserInvited", id))!.Value.GetProperty("role").GetString().ShouldBe(Roles.Technician);
    }

    [Fact]
    public async Task AnotherTenantsUser_IsNotFound_AndAClientUserForbidden()
    {
        var own = await factory.CreateTenantAsync(factory.Admin);
        var other = await factory.CreateTenantAsync(factory.Admin);
        var stranger = await factory.InviteAsync(factory.Admin, other);
        var colleague = await factory.InviteAsync(factory.Admin, own);
        var clientAdmin = await factory.SignedInClientAsync((await factory.CreateUserAsync(Roles.ClientAdmin, Password, own)).Email!, Password);
        var clientUser = await factory.SignedInClientAsync((await factory.CreateUserAsync(Roles.ClientUser, Password, own)).Email!, Password);

        (await clientAdmin.PostAsync($"/api/users/{stranger.Id}/invitation", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await clientUser.PostAsync($"/api/users/{colleague.Id}/invitation", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await factory.CreateClient().PostAsync($"/api/users/{colleague.Id}/invitation", null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await AcceptAsync(stranger.Token)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }
}
