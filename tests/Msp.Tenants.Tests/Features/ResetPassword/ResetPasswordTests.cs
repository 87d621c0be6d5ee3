using System.Net;
using System.Net.Http.Json;
using Msp.Tenants.Domain;
using Msp.Testing;

namespace Msp.Tenants.Tests.Features.ResetPassword;

[Collection(nameof(TenantsCollection))]
public sealed class ResetPasswordTests(TenantsFactory factory)
{
    private const string Password = "a long enough password";
    private const string NewPassword = "a brand new password";

    private Task<HttpResponseMessage> ResetAsync(string? token, string? password) =>
        factory.CreateClient().PostAsJsonAsync("/api/auth/password/reset", new { token, password });

    /// <summary>A reset token as an Admin hands it out.</summary>
    private async Task<string> TokenForAsync(User user) =>
        (await (await factory.Admin.PostAsync($"/api/users/{user.Id}/password-reset", null)).JsonAsync(HttpStatusCode.OK)).GetProperty("resetToken").GetString()!;

    [Fact]
    public async Task AReset_SetsThePassword_SpendsTheToken_AndEndsEverySignIn()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var user = await factory.CreateUserAsync(Roles.ClientAdmin, Password, tenant);
        var (access, refresh) = await factory.LoginAsync(user.Email!, Password);
        var token = await TokenForAsync(user);

        (await ResetAsync(token, NewPassword)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await factory.ClientWith(access).GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await factory.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = refresh })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await factory.LoginAsync(user.Email!, NewPassword);
        await (await ResetAsync(token, "yet another long password")).ShouldNameAsync(HttpStatusCode.BadRequest, "token");
        await factory.LoginAsync(user.Email!, NewPassword);
    }

    [Fact]
    public async Task AnExpiredToken_IsRefusedNamingIt()
    {
        var user = await factory.CreateUserAsync(Roles.Technician, Password);
        var token = await TokenForAsync(user);

        using (factory.Clock.Advance(TimeSpan.FromMinutes(61)))
        {
            await (await ResetAsync(token, NewPassword)).ShouldNameAsync(HttpStatusCode.BadRequest, "token");
        }

        await factory.LoginAsync(user.Email!, Password);
    }

    [Fact]
    public async Task ATokenJustBeforeItsHourEnds_StillWorks()
    {
        var user = await factory.CreateUserAsync(Roles.Technician, Password);
        var token = await TokenForAsync(user);

        using (factory.Clock.Advance(TimeSpan.FromMinutes(59)))
        {
            (await ResetAsync(token, NewPassword)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }
    }

    [Fact]
    public async Task AWeakPassword_IsRefusedNamingIt_AndTheTokenStaysUsable()
    {
        var user = await factory.CreateUserAsync(Roles.Technician, Password);
        var token = await TokenForAsync(user);

        (await (await ResetAsync(token, "short")).ShouldNameAsync(HttpStatusCode.BadRequest, "password")).ShouldNotBeEmpty();

        (await ResetAsync(token, NewPassword)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task AnUnknownToken_IsRefusedNamingIt()
    {
        await (await ResetAsync("no-such-token", NewPassword)).ShouldNameAsync(HttpStatusCode.BadRequest, "token");
    }

    [Theory]
    [InlineData("token")]
    [InlineData("password")]
    public async Task AMissingField_IsNamed(string missing)
    {
        await (await ResetAsync(missing == "token" ? null : "x", missing == "password" ? null : NewPassword)).ShouldNameAsync(HttpStatusCode.BadRequest, missing);
    }

    [Fact]
    public async Task AReset_UnlocksALockedOutUser()
    {
        var user = await factory.CreateUserAsync(Roles.Technician, Password);
        for (var i = 0; i < TenantsFactory.MaxFailedAccessAttempts; i++)
        {
            await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = "wrong password" });
        }

        (await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = Password })).StatusCode.ShouldBe((HttpStatusCode)423);

        (await ResetAsync(await TokenForAsync(user), NewPassword)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await factory.LoginAsync(user.Email!, NewPassword);
    }

    [Fact]
    public async Task OneTokenUsedManyTimesAtOnce_WorksOnce()
    {
        var user = await factory.CreateUserAsync(Roles.Technician, Password);
        var token = await TokenForAsync(user);

        var answers = await ProblemAssertions.AllAtOnceAsync(5, i => ResetAsync(token, $"{NewPassword} {i}"));

        answers.Count(a => a.StatusCode == HttpStatusCode.NoContent).ShouldBe(1);
        answers.Count(a => a.StatusCode == HttpStatusCode.BadRequest).ShouldBe(4);
        var winner = Array.FindIndex(answers, a => a.StatusCode == HttpStatusCode.NoContent);
        await factory.LoginAsync(user.Email!, $"{NewPassword} {winner}");
    }
}
