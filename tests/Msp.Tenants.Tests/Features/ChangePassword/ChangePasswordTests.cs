using System.Net;
using System.Net.Http.Json;
using Msp.Tenants.Domain;
using Msp.Testing;

namespace Msp.Tenants.Tests.Features.ChangePassword;

[Collection(nameof(TenantsCollection))]
public sealed class ChangePasswordTests(TenantsFactory factory)
{
    private const string Password = "a long enough password";
    private const string NewPassword = "an even longer new password";

    private Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        factory.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken });

    [Fact]
    public async Task ChangingThePassword_KeepsTheCallersSignIn_AndEndsTheOthers()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var user = await factory.CreateUserAsync(Roles.ClientUser, Password, tenant);
        var (access, refresh) = await factory.LoginAsync(user.Email!, Password);
        var (_, otherRefresh) = await factory.LoginAsync(user.Email!, Password);
        var caller = factory.ClientWith(access);

        var response = await caller.PostAsJsonAsync("/api/auth/password/change", new { currentPassword = Password, newPassword = NewPassword });

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await caller.GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await RefreshAsync(refresh)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await RefreshAsync(otherRefresh)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = Password })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await factory.LoginAsync(user.Email!, NewPassword);
    }

    [Fact]
    public async Task AWrongCurrentPassword_IsRefusedNamingIt_AndThePasswordStays()
    {
        var user = await factory.CreateUserAsync(Roles.Technician, Password);
        var client = await factory.SignedInClientAsync(user.Email!, Password);

        var response = await client.PostAsJsonAsync("/api/auth/password/change", new { currentPassword = "not the password at all", newPassword = NewPassword });

        await response.ShouldNameAsync(HttpStatusCode.BadRequest, "currentPassword");
        await factory.LoginAsync(user.Email!, Password);
    }

    [Fact]
    public async Task AWeakNewPassword_IsRefusedWithIdentitysReasons_AndThePasswordStays()
    {
        var user = await factory.CreateUserAsync(Roles.Operator, Password);
        var client = await factory.SignedInClientAsync(user.Email!, Password);

        var response = await client.PostAsJsonAsync("/api/auth/password/change", new { currentPassword = Password, newPassword = "short" });

        (await response.ShouldNameAsync(HttpStatusCode.BadRequest, "newPassword")).ShouldContain(m => m.Contains("12"));
        await factory.LoginAsync(user.Email!, Password);
    }

    [Theory]
    [InlineData("currentPassword")]
    [InlineData("newPassword")]
    public async Task AMissingField_IsNamed(string missing)
    {
        var user = await factory.CreateUserAsync(Roles.Technician, Password);
        var client = await factory.SignedInClientAsync(user.Email!, Password);
        var body = missing == "currentPassword" ? (object)new { newPassword = NewPassword } : new { currentPassword = Password };

        await (await client.PostAsJsonAsync("/api/auth/password/change", body)).ShouldNameAsync(HttpStatusCode.BadRequest, missing);
    }

    [Fact]
    public async Task Anonymously_IsUnauthorized()
    {
        var response = await factory.CreateClient().PostAsJsonAsync("/api/auth/password/change", new { currentPassword = Password, newPassword = NewPassword });

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
