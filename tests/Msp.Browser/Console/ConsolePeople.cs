using System.Net.Http.Json;
using System.Text.Json;
using Msp.Browser.Screens;

namespace Msp.Browser.Console;

/// <summary>The provider's own people for the console's tests: an Operator or an Admin invited by the first Admin.</summary>
public static class ConsolePeople
{
    public static async Task<Person> StaffAsync(this PortalFixture portal, string role, string displayName)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}"[..24] + "@console.test";
        var invited = await portal.Platform.Gateway.PostAsJsonAsync("/api/staff", new { email, displayName, role });
        invited.EnsureSuccessStatusCode();
        var body = await invited.Content.ReadFromJsonAsync<JsonElement>();
        (await portal.Platform.Gateway.PostAsJsonAsync("/api/auth/invitations/accept",
            new { token = body.GetProperty("invitationToken").GetString(), password = PortalFixture.Password })).EnsureSuccessStatusCode();
        return new Person(body.GetProperty("id").GetGuid(), email, PortalFixture.Password, displayName, await portal.SignedInAsync(email, PortalFixture.Password));
    }

    /// <summary>A browser signed in as <paramref name="person"/>.</summary>
    public static async Task<Visit> SignedInVisitAsync(this PortalFixture portal, Person person, string locale = "en-GB", bool phone = false)
    {
        var visit = await portal.VisitAsync(locale, phone);
        await new SignInScreen(visit).OpenAsync();
        await new SignInScreen(visit).SignInAsync(person.Email, person.Password);
        return visit;
    }
}
