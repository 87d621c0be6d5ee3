using System.Net;
using System.Net.Http.Json;
using Msp.Tenants.Domain;

namespace Msp.Tenants.Tests.Features;

[Collection(nameof(TenantsCollection))]
public sealed class DeactivateUserTests(TenantsFactory factory)
{
    private const string Password = "a long enough password";

    [Fact]
    public async Task ADeactivatedUser_IsSignedOutOnTheirNextRequest_AndCannotSignInOrRefresh()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var user = await factory.CreateUserAsync(Roles.ClientUser, Password, tenant);
        var login = await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = Password });
        var refreshToken = (await login.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("refreshToken").GetString();
        var client = await factory.SignedInClientAsync(user.Email!, Password);
        (await client.GetAsync($"/api/tenants/{tenant}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await factory.Admin.PostAsync($"/api/users/{user.Id}/deactivate", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        // Not "within a second" by a clock: the very next request, with the same unexpired token, is refused.
        var next = await client.GetAsync($"/api/tenants/{tenant}");

        next.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = Password }))
            .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await factory.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken }))
            .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AClientAdmin_DeactivatesTheirOwnTenantsUsers_ButNotAnotherTenantsOrStaff()
    {
        var own = await factory.CreateTenantAsync(factory.Admin);
        var other = await factory.CreateTenantAsync(factory.Admin);
        var clientAdmin = await factory.CreateUserAsync(Roles.ClientAdmin, Password, own);
        var colleague = await factory.CreateUserAsync(Roles.ClientUser, Password, own);
        var stranger = await factory.CreateUserAsync(Roles.ClientUser, Password, other);
        var technician = await factory.CreateUserAsync(Roles.Technician, Password);
        var client = await factory.SignedInClientAsync(clientAdmin.Email!, Password);

        (await client.PostAsync($"/api/users/{stranger.Id}/deactivate", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.PostAsync($"/api/users/{technician.Id}/deactivate", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.PostAsync($"/api/users/{colleague.Id}/deactivate", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await factory.Database.ScalarAsync<bool>("SELECT is_active FROM users WHERE id = $1", stranger.Id)).ShouldBeTrue();
        (await factory.Database.ScalarAsync<bool>("SELECT is_active FROM users WHERE id = $1", technician.Id)).ShouldBeTrue();
        (await factory.Database.ScalarAsync<bool>("SELECT is_active FROM users WHERE id = $1", colleague.Id)).ShouldBeFalse();
    }

    [Fact]
    public async Task AClientUser_CannotDeactivateAnyone()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var user = await factory.CreateUserAsync(Roles.ClientUser, Password, tenant);
        var colleague = await factory.CreateUserAsync(Roles.ClientUser, Password, tenant);
        var client = await factory.SignedInClientAsync(user.Email!, Password);

        (await client.PostAsync($"/api/users/{colleague.Id}/deactivate", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task DeactivatingYourself_IsRefused()
    {
        var me = await factory.Admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/auth/me");

        var response = await factory.Admin.PostAsync($"/api/users/{me.GetProperty("id").GetGuid()}/deactivate", null);

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }
}
