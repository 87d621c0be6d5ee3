using System.Net;
using System.Net.Http.Json;
using Msp.Tenants.Domain;
using Msp.Testing;

namespace Msp.Tenants.Tests.Features.ForgotPassword;

[Collection(nameof(TenantsCollection))]
public sealed class ForgotPasswordTests(TenantsFactory factory)
{
    private const string Password = "a long enough password";

    private Task<HttpResponseMessage> ForgotAsync(string? email) =>
        factory.CreateClient().PostAsJsonAsync("/api/auth/password/forgot", new { email });

    private Task<long> ResetsAsync(Guid userId) => factory.Database.ScalarAsync<long>("SELECT count(*) FROM password_resets WHERE user_id = $1", userId);

    [Fact]
    public async Task AKnownAndAnUnknownEmail_GetTheSameAnswer_AndOnlyTheKnownUserAToken()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin, country: "IT", timeZone: "Europe/Rome");
        var user = await factory.CreateUserAsync(Roles.ClientUser, Password, tenant);

        var known = await ForgotAsync(user.Email);
        var unknown = await ForgotAsync($"nobody-{Guid.NewGuid():N}@tests.local");

        known.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        unknown.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await known.Content.ReadAsStringAsync()).ShouldBe(await unknown.Content.ReadAsStringAsync());
        known.Content.Headers.ContentType?.ToString().ShouldBe(unknown.Content.Headers.ContentType?.ToString());
        (await ResetsAsync(user.Id)).ShouldBe(1);
        var requested = (await factory.LastEventAsync("PasswordResetRequested", user.Id))!.Value;
        requested.GetProperty("email").GetString().ShouldBe(user.Email);
        requested.GetProperty("language").GetString().ShouldBe("it");
        var token = requested.GetProperty("resetToken").GetString()!;
        requested.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(DateTimeOffset.UtcNow.AddHours(1), TimeSpan.FromMinutes(1));
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM password_resets WHERE token_hash = $1", token)).ShouldBe(0, "only a hash is kept");

        (await factory.CreateClient().PostAsJsonAsync("/api/auth/password/reset", new { token, password = "a brand new password" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await factory.LoginAsync(user.Email!, "a brand new password");
    }

    [Fact]
    public async Task ASecondRequestWithinTheMinute_ChangesNothing_AndOneAfterItReplacesTheToken()
    {
        var user = await factory.CreateUserAsync(Roles.Technician, Password);
        (await ForgotAsync(user.Email)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var first = (await factory.LastEventAsync("PasswordResetRequested", user.Id))!.Value.GetProperty("resetToken").GetString()!;

        (await ForgotAsync(user.Email)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await ResetsAsync(user.Id)).ShouldBe(1);
        (await factory.EventCountAsync("PasswordResetRequested", user.Id)).ShouldBe(1);

        string second;
        using (factory.Clock.Advance(TimeSpan.FromSeconds(61)))
        {
            (await ForgotAsync(user.Email)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
            second = (await factory.LastEventAsync("PasswordResetRequested", user.Id))!.Value.GetProperty("resetToken").GetString()!;
        }

        second.ShouldNotBe(first);
        (await ResetsAsync(user.Id)).ShouldBe(2);
        var reset = factory.CreateClient();
        await (await reset.PostAsJsonAsync("/api/auth/password/reset", new { token = first, password = "a brand new password" }))
            .ShouldNameAsync(HttpStatusCode.BadRequest, "token");
        (await reset.PostAsJsonAsync("/api/auth/password/reset", new { token = second, password = "a brand new password" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task ManyRequestsAtOnce_IssueOneToken()
    {
        var user = await factory.CreateUserAsync(Roles.Technician, Password);

        var answers = await ProblemAssertions.AllAtOnceAsync(6, _ => ForgotAsync(user.Email));

        answers.ShouldAllBe(a => a.StatusCode == HttpStatusCode.Accepted);
        (await ResetsAsync(user.Id)).ShouldBe(1);
        (await factory.EventCountAsync("PasswordResetRequested", user.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task DeactivatedAndInvitedUsers_GetNoToken_AndTheSameAnswer()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var deactivated = await factory.CreateUserAsync(Roles.ClientUser, Password, tenant);
        (await factory.Admin.PostAsync($"/api/users/{deactivated.Id}/deactivate", null)).EnsureSuccessStatusCode();
        var invited = await factory.InviteAsync(factory.Admin, tenant);

        (await ForgotAsync(deactivated.Email)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await ForgotAsync(invited.Email)).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        (await ResetsAsync(deactivated.Id)).ShouldBe(0);
        (await ResetsAsync(invited.Id)).ShouldBe(0);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not an email")]
    public async Task AMissingOrMalformedEmail_IsNamed(string? email)
    {
        await (await ForgotAsync(email)).ShouldNameAsync(HttpStatusCode.BadRequest, "email");
    }
}
