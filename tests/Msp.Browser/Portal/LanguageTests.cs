using System.Net.Http.Json;
using Msp.Browser.Screens;

namespace Msp.Browser.Portal;

/// <summary>Acceptance 4 of issue 19 (and the screenshots of acceptance 6): every page of the portal, signed out, as a
/// ClientAdmin, as an employee and as staff, in French and Italian (and English), at a desktop's and a phone's width.
/// A text missing from our resources renders as ⟦Key⟧ on the test platform, and <see cref="Visit.ShowsAsync"/> fails on
/// it, as on a page wider than the window or a script the page's policy refused.</summary>
[Collection(nameof(PortalCollection))]
public sealed class LanguageTests(PortalFixture portal)
{
    [Theory]
    [InlineData("fr-FR", "FR", "Europe/Paris", "Vos tickets", "Connexion")]
    [InlineData("it-IT", "IT", "Europe/Rome", "I tuoi ticket", "Accesso")]
    [InlineData("en-GB", "GB", "Europe/London", "Your tickets", "Sign in")]
    public async Task EveryPage_InTheUsersLanguage_HasNoMissingText_AndFitsAPhone(string locale, string country, string zone, string ticketsTitle, string signInTitle)
    {
        var tenant = await portal.TenantAsync(country, zone);
        var company = await Company.SeedAsync(portal, tenant);
        (await company.Technician.Api.PostAsJsonAsync($"/api/tickets/{company.TicketId}/comments", new { body = "Le lecteur est de nouveau accessible en écriture." })).EnsureSuccessStatusCode();
        (await company.Technician.Api.PostAsJsonAsync($"/api/tickets/{company.TicketId}/status", new { status = "Resolved" })).EnsureSuccessStatusCode();
        var invoiceId = (await portal.Platform.Gateway.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/billing/invoices?tenantId={tenant}"))
            .GetProperty("items")[0].GetProperty("id").GetGuid();

        foreach (var phone in new[] { false, true })
        {
            await using var visit = await portal.VisitAsync(locale, phone);
            foreach (var (name, path) in new[]
            {
                ("portal-sign-in", "/account/signin"), ("portal-forgot-password", "/account/forgot"),
                ("portal-reset-password", "/account/reset?token=unknown"), ("portal-accept-invitation", "/account/accept?token=unknown"),
            })
            {
                await visit.GoAsync(path);
                await Expect(visit.Page.Locator("html")).ToHaveAttributeAsync("lang", locale[..2]);
                await visit.ShowsAsync(name);
            }

            await Expect(visit.Page.Locator("html")).ToHaveAttributeAsync("lang", locale[..2]);
            await visit.GoAsync("/account/signin");
            await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = signInTitle, Level = 1 })).ToBeVisibleAsync();
            await visit.Page.Locator("#email").FillAsync(company.Admin.Email);
            await visit.Page.Locator("#password").FillAsync(company.Admin.Password);
            await visit.Page.Locator("main form button[type=submit]").ClickAsync();
            await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = ticketsTitle, Level = 1 })).ToBeVisibleAsync();
            await visit.ShowsAsync("portal-tickets-empty");

            foreach (var (name, path) in new[]
            {
                ("portal-company-tickets", "/portal/tickets?scope=company&show=all"),
                ("portal-ticket-resolved", $"/portal/tickets/{company.TicketId}"),
                ("portal-new-ticket", "/portal/tickets/new"),
                ("portal-company", "/portal/company"),
                ("portal-users", "/portal/company/users"),
                ("portal-invoices", "/portal/company/invoices"),
                ("portal-invoice", $"/portal/company/invoices/{invoiceId}"),
                ("portal-profile", "/account/profile"),
                ("portal-change-password", "/account/password"),
                ("portal-not-found", $"/portal/tickets/{Guid.NewGuid()}"),
            })
            {
                var response = await visit.GoAsync(path);
                response!.Status.ShouldBeLessThan(500, $"{path} rendered");
                await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
                await visit.ShowsAsync(name);
            }

            // A form sent empty: its errors, beside the fields, in the same language.
            await visit.GoAsync("/portal/tickets/new");
            await visit.Page.Locator("main form button[type=submit]").ClickAsync();
            await Expect(visit.Page.Locator("#subject-error")).ToBeVisibleAsync();
            await Expect(visit.Page.Locator("#subject")).ToHaveAttributeAsync("aria-invalid", "true");
            await visit.ShowsAsync("portal-new-ticket-errors");
        }

        // An employee on a page for the company's administrator, and staff on their home.
        await using var employee = await portal.VisitAsync(locale);
        await SignInAsync(employee, company.Colleague);
        await employee.GoAsync("/portal/company");
        await employee.ShowsAsync("portal-not-allowed");
        await using var staff = await portal.VisitAsync(locale, phone: true);
        await SignInAsync(staff, company.Technician);
        await staff.ShowsAsync("desk-landing"); // staff land on the queue
        await staff.GoAsync("/staff");
        await Expect(staff.Page.GetByRole(AriaRole.Link, new() { Name = "/api/docs" }).Or(staff.Page.Locator("a[href='/api/docs']"))).ToBeVisibleAsync();
        await staff.ShowsAsync("staff-home");
    }

    private static async Task SignInAsync(Visit visit, Person person)
    {
        await visit.GoAsync("/account/signin");
        await visit.Page.Locator("#email").FillAsync(person.Email);
        await visit.Page.Locator("#password").FillAsync(person.Password);
        await visit.Page.Locator("main form button[type=submit]").ClickAsync();
        await visit.Page.WaitForURLAsync(url => !url.Contains("/account/signin"));
    }
}
