using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Msp.Browser.Console;

/// <summary>The console in Italian on a phone and in French on a desktop: every page has all its text in the user's
/// language (no ⟦Key⟧), fits the window, and is photographed.</summary>
[Collection(nameof(PortalCollection))]
public sealed class ConsoleLanguageTests(PortalFixture portal)
{
    [Theory]
    [InlineData("it", "Europe/Rome", true, "Cruscotto")]
    [InlineData("fr", "Europe/Paris", false, "Tableau de bord")]
    public async Task TheConsolesPages_SpeakTheOperatorsLanguage_AndFitTheWindow(string language, string zone, bool phone, string dashboard)
    {
        var admin = await portal.StaffAsync("Admin", "Alba Amministratrice");
        (await admin.Api.PutAsJsonAsync("/api/auth/me/profile", new { displayName = admin.DisplayName, language, timeZone = zone })).EnsureSuccessStatusCode();
        var (tenant, _) = await portal.TenantAsync();
        var run = await admin.Api.PostAsJsonAsync("/api/billing/invoice-runs", new { period = phone ? "2019-03" : "2019-04" });
        run.StatusCode.ShouldBe(HttpStatusCode.Accepted, await run.Content.ReadAsStringAsync());
        var runPage = $"/console/invoicing/runs/{(await run.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid()}";
        // A browser in English: the language of the profile wins once signed in.
        await using var visit = await portal.SignedInVisitAsync(admin, "en-GB", phone);

        (await visit.GoAsync("/console"))!.Status.ShouldBe(200);
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = dashboard, Level = 1 })).ToBeVisibleAsync();
        await visit.ShowsAsync("console-dashboard");
        foreach (var (path, screen) in new[]
        {
            ("/console/clients", "console-clients"), ($"/console/clients/{tenant}", "console-client"), ($"/console/clients/{tenant}?tab=sla", "console-client-sla"),
            ($"/console/clients/{tenant}?tab=contracts", "console-client-contracts"), ("/console/invoicing", "console-invoicing"),
            (runPage, "console-invoice-run"),
            ("/console/slas", "console-slas"), ("/console/slas/calendars/01930000-0000-7000-8000-00000000ca1e", "console-sla-calendar"),
            ("/console/slas/policies/new", "console-sla-policy"),
            ("/console/reports", "console-reports"), ("/console/staff", "console-staff"), ($"/console/staff/{admin.Id}", "console-staff-member"),
        })
        {
            (await visit.GoAsync(path))!.Status.ShouldBe(200, path);
            await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            (await visit.Page.Locator("html").GetAttributeAsync("lang")).ShouldBe(language);
            await visit.ShowsAsync(screen);
        }
    }
}
