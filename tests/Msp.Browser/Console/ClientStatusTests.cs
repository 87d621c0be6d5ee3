using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Browser.Screens;

namespace Msp.Browser.Console;

/// <summary>Issue 21, suspend and reactivate (decision 0116): an operator suspends a client from its page, which says what
/// that does to the client's users; a user of the client is then refused at the portal's sign-in with a sentence saying
/// why, and signs in again once the client is reactivated.</summary>
[Collection(nameof(PortalCollection))]
public sealed class ClientStatusTests(PortalFixture portal)
{
    [Fact]
    public async Task AnOperator_SuspendsAClient_ItsUserCannotSignIn_UntilItIsReactivated()
    {
        var operatorPerson = await portal.StaffAsync("Operator", "Olivia Operator");
        var tenant = await portal.TenantAsync("GB", "Europe/London");
        var user = await portal.ClientAsync(tenant, "ClientUser", "Ursula User");
        await using var visit = await portal.SignedInVisitAsync(operatorPerson);
        await visit.GoAsync($"/console/clients/{tenant}");

        var status = visit.Page.GetByRole(AriaRole.Region, new() { Name = "Access for the client's users" });
        var suspend = status.GetByRole(AriaRole.Button, new() { Name = "Suspend the client" });
        await Expect(suspend).ToHaveAccessibleDescriptionAsync(new System.Text.RegularExpressions.Regex("stops its users from signing in"));
        await visit.ShowsAsync("console-client-status");
        await suspend.ClickAsync();

        await Expect(visit.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The client is suspended: its users can no longer sign in.");
        await Expect(visit.Page.Locator("dl.facts")).ToContainTextAsync("Suspended");
        (await operatorPerson.Api.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenant}")).GetProperty("status").GetString().ShouldBe("Suspended");
        await Expect(status.GetByRole(AriaRole.Button, new() { Name = "Reactivate the client" })).ToBeVisibleAsync();
        await visit.ShowsAsync("console-client-suspended");
        var slug = (await operatorPerson.Api.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenant}")).GetProperty("slug").GetString()!;
        var name = (await operatorPerson.Api.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenant}")).GetProperty("name").GetString()!;
        await visit.GoAsync($"/console/clients?q={Uri.EscapeDataString(name)}");
        await Expect(visit.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = slug })).ToContainTextAsync("Suspended");

        // The client's user is refused at the portal's sign-in, and told why.
        await using (var portalVisit = await portal.VisitAsync())
        {
            var signIn = await new SignInScreen(portalVisit).OpenAsync();
            await Expect(signIn.Heading).ToBeVisibleAsync();
            await portalVisit.Page.GetByLabel("E-mail address").FillAsync(user.Email);
            await portalVisit.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(user.Password);
            await portalVisit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(portalVisit.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Your organization's account is suspended, so you cannot sign in.");
            portalVisit.Page.Url.ShouldContain("/account/signin");
            await portalVisit.ShowsAsync("signin-suspended");
        }

        (await portal.Platform.Anonymous().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = user.Password })).StatusCode
            .ShouldBe(HttpStatusCode.Forbidden);

        // Reactivated from the page: the user signs in to the portal again.
        await visit.GoAsync($"/console/clients/{tenant}");
        await status.GetByRole(AriaRole.Button, new() { Name = "Reactivate the client" }).ClickAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The client is reactivated: its users can sign in again.");
        await Expect(status.GetByRole(AriaRole.Button, new() { Name = "Suspend the client" })).ToBeVisibleAsync();

        await using var again = await portal.VisitAsync();
        await new SignInScreen(again).OpenAsync();
        await new SignInScreen(again).SignInAsync(user.Email, user.Password);
        again.Page.Url.ShouldContain("/portal");
    }
}
