using System.Net;
using System.Net.Http.Json;
using Msp.Tenants.Domain;
using Msp.Testing;

namespace Msp.Tenants.Tests.Features.IssuePasswordReset;

[Collection(nameof(TenantsCollection))]
public sealed class IssuePasswordResetTests(TenantsFactory factory)
{
    private const string Password = "a long enough password";

    [Fact]
    public async Task AClientAdmin_GetsALinkForAColleague_ThatSetsTheirPassword()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var admin = await factory.CreateUserAsync(Roles.ClientAdmin, Password, tenant);
        var colleague = await factory.CreateUserAsync(Roles.ClientUser, Password, tenant);
        var client = await factory.SignedInClientAsync(admin.Email!, Password);

        var issued = await (await client.PostAsync($"/api/users/{colleague.Id}/password-reset", null)).JsonAsync(HttpStatusCode.OK);

        issued.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(DateTimeOffset.UtcNow.AddHours(1), TimeSpan.FromMinutes(1));
        var token = issued.GetProperty("resetToken").GetString()!;
        (await factory.Database.ScalarAsync<string>("SELECT requested_by::text FROM password_resets WHERE user_id = $1", colleague.Id)).ShouldBe(admin.Id.ToString());
        (await factory.LastEventAsync("PasswordResetRequested", colleague.Id))!.Value.GetProperty("resetToken").GetString().ShouldBe(token);
        (await factory.CreateClient().PostAsJsonAsync("/api/auth/password/reset", new { token, password = "a brand new password" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await factory.LoginAsync(colleague.Email!, "a brand new password");
    }

    [Fact]
    public async Task ANewLink_ReplacesTheOneBefore()
    {
        var user = await factory.CreateUserAsync(Roles.Technician, Password);
        var first = (await (await factory.Admin.PostAsync($"/api/users/{user.Id}/password-reset", null)).JsonAsync(HttpStatusCode.OK)).GetProperty("resetToken").GetString();
        var second = (await (await factory.Admin.PostAsync($"/api/users/{user.Id}/password-reset", null)).JsonAsync(HttpStatusCode.OK)).GetProperty("resetToken").GetString();

        await (await factory.CreateClient().PostAsJsonAsync("/api/auth/password/reset", new { token = first, password = "a brand new password" }))
            .ShouldNameAsync(HttpStatusCode.BadRequest, "token");
        (await factory.CreateClient().PostAsJsonAsync("/api/auth/password/reset", new { token = second, password = "a brand new password" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task AnotherTenantsUser_IsNotFound_AndStaffNeedAnAdmin()
    {
        var own = await factory.CreateTenantAsync(factory.Admin);
        var other = await factory.CreateTenantAsync(factory.Admin);
        var clientAdmin = await factory.SignedInClientAsync((await factory.CreateUserAsync(Roles.ClientAdmin, Password, own)).Email!, Password);
        var stranger = await factory.CreateUserAsync(Roles.ClientUser, Password, other);
        var technician = await factory.CreateUserAsync(Roles.Technician, Password);
        var operatorClient = await factory.SignedInClientAsync((await factory.CreateUserAsync(Roles.Operator, Password)).Email!, Password);

        (await clientAdmin.PostAsync($"/api/users/{stranger.Id}/password-reset", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await clientAdmin.PostAsync($"/api/users/{technician.Id}/password-reset", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await clientAdmin.PostAsync($"/api/users/{Guid.CreateVersion7()}/password-reset", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await operatorClient.PostAsync($"/api/users/{technician.Id}/password-reset", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await operatorClient.PostAsync($"/api/users/{stranger.Id}/password-reset", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await factory.Admin.PostAsync($"/api/users/{technician.Id}/password-reset", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM password_resets WHERE user_id = $1", technician.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task AClientUser_IsForbidden_AndAnonymousUnauthorized()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var user = await factory.CreateUserAsync(Roles.ClientUser, Password, tenant);
        var colleague = await factory.CreateUserAsync(Roles.ClientUser, Password, tenant);
        var client = await factory.SignedInClientAsync(user.Email!, Password);

        (await client.PostAsync($"/api/users/{colleague.Id}/password-reset", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await factory.CreateClient().PostAsync($"/api/users/{colleague.Id}/password-reset", null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnInvitedOrDeactivatedUser_GetsNoLink_NamingTheId()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var invited = await factory.InviteAsync(factory.Admin, tenant);
        var deactivated = await factory.CreateUserAsync(Roles.ClientUser, Password, tenant);
        (await factory.Admin.PostAsync($"/api/users/{deactivated.Id}/deactivate", null)).EnsureSuccessStatusCode();

        await (await factory.Admin.PostAsync($"/api/users/{invited.Id}/password-reset", null)).ShouldNameAsync(HttpStatusCode.Conflict, "id");
        await (await factory.Admin.PostAsync($"/api/users/{deactivated.Id}/password-reset", null)).ShouldNameAsync(HttpStatusCode.Conflict, "id");
    }
}
