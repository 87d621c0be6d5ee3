using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Tenants.Domain;

namespace Msp.Tenants.Tests.Features.Auth;

[Collection(nameof(TenantsCollection))]
public sealed class SignInTests(TenantsFactory factory)
{
    private const string Password = "a long enough password";
    private readonly HttpClient client = factory.CreateClient();

    private record Tokens(string AccessToken, string RefreshToken, int ExpiresIn, string TokenType);

    private async Task<HttpResponseMessage> LoginAsync(string email, string password) =>
        await client.PostAsJsonAsync("/api/auth/login", new { email, password });

    private Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken });

    private async Task<JsonElement> MeAsync(string accessToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var response = await client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task TheFirstAdmin_IsSeeded_AndSignsInWithEveryTenantInScope()
    {
        var response = await LoginAsync(TenantsFactory.AdminEmail, TenantsFactory.AdminPassword);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var tokens = (await response.Content.ReadFromJsonAsync<Tokens>())!;
        tokens.TokenType.ShouldBe("Bearer");
        tokens.ExpiresIn.ShouldBe(15 * 60);
        var me = await MeAsync(tokens.AccessToken);
        me.GetProperty("email").GetString().ShouldBe(TenantsFactory.AdminEmail);
        me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ShouldBe([Roles.Admin]);
        me.GetProperty("scope").GetProperty("allTenants").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task AClientUser_IsScopedToTheirOwnTenant()
    {
        var tenantId = await factory.CreateTenantAsync(factory.Admin);
        var user = await factory.CreateUserAsync(Roles.ClientUser, Password, tenantId);

        var tokens = (await (await LoginAsync(user.Email!, Password)).Content.ReadFromJsonAsync<Tokens>())!;

        var me = await MeAsync(tokens.AccessToken);
        me.GetProperty("tenantId").GetGuid().ShouldBe(tenantId);
        me.GetProperty("scope").GetProperty("allTenants").GetBoolean().ShouldBeFalse();
        me.GetProperty("scope").GetProperty("tenantIds").EnumerateArray().Select(t => t.GetGuid()).ShouldBe([tenantId]);
    }

    [Theory]
    [InlineData("wrong")]
    [InlineData(null)]
    public async Task AWrongPasswordOrUnknownEmail_AnswersTheSameUnauthorizedProblem(string? knownEmailWithWrongPassword)
    {
        var email = knownEmailWithWrongPassword is null ? "nobody@tests.local" : TenantsFactory.AdminEmail;

        var response = await LoginAsync(email, "not the password at all");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString().ShouldBe("The email or the password is wrong.");
    }

    [Fact]
    public async Task AfterTooManyFailures_TheAccountIsLocked_AndTheRightPasswordStillFails()
    {
        var user = await factory.CreateUserAsync(Roles.Technician, Password);
        for (var i = 0; i < TenantsFactory.MaxFailedAccessAttempts - 1; i++)
        {
            (await LoginAsync(user.Email!, "wrong password")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        var locking = await LoginAsync(user.Email!, "wrong password");
        var withTheRightPassword = await LoginAsync(user.Email!, Password);

        locking.StatusCode.ShouldBe(HttpStatusCode.Locked);
        withTheRightPassword.StatusCode.ShouldBe(HttpStatusCode.Locked);
        withTheRightPassword.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        int.Parse(withTheRightPassword.Headers.GetValues("Retry-After").Single()).ShouldBeGreaterThan(60);
    }

    [Fact]
    public async Task Refresh_RotatesTheToken_AndReusingASpentOneRevokesTheWholeFamily()
    {
        var user = await factory.CreateUserAsync(Roles.Operator, Password);
        var first = (await (await LoginAsync(user.Email!, Password)).Content.ReadFromJsonAsync<Tokens>())!;

        var rotated = await RefreshAsync(first.RefreshToken);
        rotated.StatusCode.ShouldBe(HttpStatusCode.OK);
        var second = (await rotated.Content.ReadFromJsonAsync<Tokens>())!;
        second.RefreshToken.ShouldNotBe(first.RefreshToken);
        (await MeAsync(second.AccessToken)).GetProperty("id").GetGuid().ShouldBe(user.Id);

        (await RefreshAsync(first.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await RefreshAsync(second.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Refresh_RacingWithOneToken_RotatesItAtMostOnce()
    {
        var user = await factory.CreateUserAsync(Roles.Operator, Password);
        var tokens = (await (await LoginAsync(user.Email!, Password)).Content.ReadFromJsonAsync<Tokens>())!;

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => RefreshAsync(tokens.RefreshToken)));

        answers.Count(a => a.StatusCode == HttpStatusCode.OK).ShouldBeLessThanOrEqualTo(1);
        answers.Count(a => a.StatusCode == HttpStatusCode.Unauthorized).ShouldBeGreaterThanOrEqualTo(4);
    }

    [Fact]
    public async Task Logout_RevokesTheRefreshToken()
    {
        var user = await factory.CreateUserAsync(Roles.Operator, Password);
        var tokens = (await (await LoginAsync(user.Email!, Password)).Content.ReadFromJsonAsync<Tokens>())!;

        (await client.PostAsJsonAsync("/api/auth/logout", new { refreshToken = tokens.RefreshToken })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await RefreshAsync(tokens.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Me_WithoutAToken_AnswersUnauthorized()
    {
        (await client.GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Me_WithAForgedToken_AnswersUnauthorized()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "CfDJ8forged-token-value");

        (await client.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("""{"password":"x"}""", "email")]
    [InlineData("""{"email":"not-an-email","password":"x"}""", "email")]
    [InlineData("""{"email":"a@b.example"}""", "password")]
    public async Task Login_WithBadInput_AnswersProblemNamingTheField(string json, string field)
    {
        var response = await client.PostAsync("/api/auth/login", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }
}
