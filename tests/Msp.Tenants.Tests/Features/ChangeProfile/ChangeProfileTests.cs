using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Tenants.Domain;
using Msp.Testing;

namespace Msp.Tenants.Tests.Features.ChangeProfile;

[Collection(nameof(TenantsCollection))]
public sealed class ChangeProfileTests(TenantsFactory factory)
{
    private const string Password = "a long enough password";

    private async Task<(User User, HttpClient Client)> ClientUserAsync(string country = "FR", string timeZone = "Europe/Paris")
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin, country: country, timeZone: timeZone);
        var user = await factory.CreateUserAsync(Roles.ClientUser, Password, tenant);
        return (user, await factory.SignedInClientAsync(user.Email!, Password));
    }

    [Theory]
    [InlineData("FR", "Europe/Paris", "fr")]
    [InlineData("IT", "Europe/Rome", "it")]
    [InlineData("DE", "Europe/Berlin", "en")]
    public async Task Me_DefaultsTheLanguageAndTimeZoneFromTheTenant_AndNamesIt(string country, string timeZone, string language)
    {
        var (_, client) = await ClientUserAsync(country, timeZone);

        var me = await client.GetFromJsonAsync<JsonElement>("/api/auth/me");

        me.GetProperty("language").GetString().ShouldBe(language);
        me.GetProperty("timeZone").GetString().ShouldBe(timeZone);
        me.GetProperty("tenantName").GetString().ShouldBe("Acme Dental");
        me.TryGetProperty("notifications", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Me_ForStaff_IsEnglishInUtc_WithoutATenant()
    {
        var me = await factory.Admin.GetFromJsonAsync<JsonElement>("/api/auth/me");

        me.GetProperty("language").GetString().ShouldBe("en");
        me.GetProperty("timeZone").GetString().ShouldBe("UTC");
        me.GetProperty("tenantName").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task ChangingTheProfile_AnswersTheNewMe_AndAnnouncesIt()
    {
        var (user, client) = await ClientUserAsync();

        var response = await client.PutAsJsonAsync("/api/auth/me/profile", new { displayName = "  Chiara Rossi ", language = "it", timeZone = "Europe/Rome" });

        var me = await response.JsonAsync(HttpStatusCode.OK);
        me.GetProperty("displayName").GetString().ShouldBe("Chiara Rossi");
        me.GetProperty("language").GetString().ShouldBe("it");
        me.GetProperty("timeZone").GetString().ShouldBe("Europe/Rome");
        (await client.GetFromJsonAsync<JsonElement>("/api/auth/me")).GetProperty("displayName").GetString().ShouldBe("Chiara Rossi");
        var announced = (await factory.LastEventAsync("UserProfileChanged", user.Id))!.Value;
        announced.GetProperty("displayName").GetString().ShouldBe("Chiara Rossi");
        announced.GetProperty("email").GetString().ShouldBe(user.Email);
        announced.GetProperty("language").GetString().ShouldBe("it");
        announced.GetProperty("timeZone").GetString().ShouldBe("Europe/Rome");
        announced.GetProperty("tenantId").GetGuid().ShouldBe(user.TenantId!.Value);
    }

    [Fact]
    public async Task NoLanguageOrTimeZone_FollowsTheTenantAgain()
    {
        var (user, client) = await ClientUserAsync();
        (await client.PutAsJsonAsync("/api/auth/me/profile", new { displayName = "A", language = "en", timeZone = "UTC" })).EnsureSuccessStatusCode();

        var me = await (await client.PutAsJsonAsync("/api/auth/me/profile", new { displayName = "A" })).JsonAsync(HttpStatusCode.OK);

        me.GetProperty("language").GetString().ShouldBe("fr");
        me.GetProperty("timeZone").GetString().ShouldBe("Europe/Paris");
        (await factory.Database.ScalarAsync<bool>("SELECT language IS NULL AND time_zone IS NULL FROM users WHERE id = $1", user.Id)).ShouldBeTrue();
    }

    [Theory]
    [InlineData("language", "de", "Europe/Paris", "A")]
    [InlineData("language", "FR", "Europe/Paris", "A")]
    [InlineData("timeZone", "fr", "Europe/Atlantis", "A")]
    [InlineData("timeZone", "fr", "", "A")]
    [InlineData("displayName", "fr", "Europe/Paris", "   ")]
    [InlineData("displayName", "fr", "Europe/Paris", null)]
    public async Task BadInput_IsRefusedNamingTheField_AndNothingChanges(string field, string language, string timeZone, string? displayName)
    {
        var (user, client) = await ClientUserAsync();

        var response = await client.PutAsJsonAsync("/api/auth/me/profile", new { displayName, language, timeZone });

        await response.ShouldNameAsync(HttpStatusCode.BadRequest, field);
        (await factory.Database.ScalarAsync<string>("SELECT display_name FROM users WHERE id = $1", user.Id)).ShouldBe("Test User");
        (await factory.EventCountAsync("UserProfileChanged", user.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task Anonymously_IsUnauthorized()
    {
        var response = await factory.CreateClient().PutAsJsonAsync("/api/auth/me/profile", new { displayName = "A" });

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task TheSameChangeSentManyTimesAtOnce_NeverFails_AndEndsChanged()
    {
        var (user, client) = await ClientUserAsync();

        var answers = await ProblemAssertions.AllAtOnceAsync(6, _ =>
            client.PutAsJsonAsync("/api/auth/me/profile", new { displayName = "Concurrent", language = "en", timeZone = "UTC" }));

        answers.Select(a => a.StatusCode).ShouldAllBe(s => s == HttpStatusCode.OK || s == HttpStatusCode.Conflict);
        answers.ShouldContain(a => a.StatusCode == HttpStatusCode.OK);
        (await factory.Database.ScalarAsync<string>("SELECT display_name FROM users WHERE id = $1", user.Id)).ShouldBe("Concurrent");
        (await factory.EventCountAsync("UserProfileChanged", user.Id)).ShouldBe(answers.Count(a => a.StatusCode == HttpStatusCode.OK));
    }
}
