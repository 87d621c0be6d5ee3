using System.Net;
using System.Net.Http.Json;
using Msp.Tenants.Domain;
using Msp.Testing;

namespace Msp.Tenants.Tests.Features.ReactivateUser;

[Collection(nameof(TenantsCollection))]
public sealed class ReactivateUserTests(TenantsFactory factory)
{
    private const string Password = "a long enough password";

    [Fact]
    public async Task AReactivatedUser_SignsInAgainWithTheirPassword_ButTheirOldTokensStayRefused()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var clientAdmin = await factory.SignedInClientAsync((await factory.CreateUserAsync(Roles.ClientAdmin, Password, tenant)).Email!, Password);
        var user = await factory.CreateUserAsync(Roles.ClientUser, Password, tenant);
        var (oldAccess, oldRefresh) = await factory.LoginAsync(user.Email!, Password);
        (await clientAdmin.PostAsync($"/api/users/{user.Id}/deactivate", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var reactivated = await (await clientAdmin.PostAsync($"/api/users/{user.Id}/reactivate", null)).JsonAsync(HttpStatusCode.OK);

        reactivated.GetProperty("status").GetString().ShouldBe("Active");
        reactivated.GetProperty("deactivatedAt").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        var (access, _) = await factory.LoginAsync(user.Email!, Password);
        (await factory.ClientWith(access).GetAsync($"/api/tenants/{tenant}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await factory.ClientWith(oldAccess).GetAsync($"/api/tenants/{tenant}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await factory.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = oldRefresh })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var announced = (await factory.LastEventAsync("UserReactivated", user.Id))!.Value;
        announced.GetProperty("tenantId").GetGuid().ShouldBe(tenant);
    }

    [Fact]
    public async Task ReactivatingAnActiveUser_IsAConflictNamingTheId()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var user = await factory.CreateUserAsync(Roles.ClientUser, Password, tenant);

        await (await factory.Admin.PostAsync($"/api/users/{user.Id}/reactivate", null)).ShouldNameAsync(HttpStatusCode.Conflict, "id");
        (await factory.EventCountAsync("UserReactivated", user.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task ManyReactivationsAtOnce_OneWins_TheOthersConflict()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var user = await factory.CreateUserAsync(Roles.ClientUser, Password, tenant);
        (await factory.Admin.PostAsync($"/api/users/{user.Id}/deactivate", null)).EnsureSuccessStatusCode();

        var answers = await ProblemAssertions.AllAtOnceAsync(5, _ => factory.Admin.PostAsync($"/api/users/{user.Id}/reactivate", null));

        answers.Count(a => a.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        answers.Count(a => a.StatusCode == HttpStatusCode.Conflict).ShouldBe(4);
        (await factory.EventCountAsync("UserReactivated", user.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task AnotherTenantsUserOrStaff_AreNotFound_ForAClientAdmin()
    {
        var own = await factory.CreateTenantAsync(factory.Admin);
        var other = await factory.CreateTenantAsync(factory.Admin);
        var clientAdmin = await factory.SignedInClientAsync((await factory.CreateUserAsync(Roles.ClientAdmin, Password, own)).Email!, Password);
        var stranger = await factory.CreateUserAsync(Roles.ClientUser, Password, other);
        var technician = await factory.CreateUserAsync(Roles.Technician, Password);
        (await factory.Admin.PostAsync($"/api/users/{stranger.Id}/deactivate", null)).EnsureSuccessStatusCode();
        (await factory.Admin.PostAsync($"/api/users/{technician.Id}/deactivate", null)).EnsureSuccessStatusCode();

        (await clientAdmin.PostAsync($"/api/users/{stranger.Id}/reactivate", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await clientAdmin.PostAsync($"/api/users/{technician.Id}/reactivate", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await factory.Database.ScalarAsync<bool>("SELECT is_active FROM users WHERE id = $1", stranger.Id)).ShouldBeFalse();
        (await factory.Admin.PostAsync($"/api/users/{technician.Id}/reactivate", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AClientUser_IsForbidden_AndAnonymousUnauthorized()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var colleague = await factory.CreateUserAsync(Roles.ClientUser, Password, tenant);
        (await factory.Admin.PostAsync($"/api/users/{colleague.Id}/deactivate", null)).EnsureSuccessStatusCode();
        var client = await factory.SignedInClientAsync((await factory.CreateUserAsync(Roles.ClientUser, Password, tenant)).Email!, Password);

        (await client.PostAsync($"/api/users/{colleague.Id}/reactivate", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await factory.CreateClient().PostAsync($"/api/users/{colleague.Id}/reactivate", null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
