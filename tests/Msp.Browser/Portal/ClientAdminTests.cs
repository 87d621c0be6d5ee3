using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Browser.Screens;

namespace Msp.Browser.Portal;

/// <summary>Acceptance 2 of issue 19: what a client's IT contact sees and does for the whole company.</summary>
[Collection(nameof(PortalCollection))]
public sealed class ClientAdminTests(PortalFixture portal)
{
    [Fact]
    public async Task AClientAdmin_SeesAColleaguesTicket_ManagesAUser_AndSeesComplianceInvoiceAndPrepaidHours()
    {
        var (tenantId, _) = await portal.TenantAsync();
        var company = await Company.SeedAsync(portal, tenantId);
        await using var visit = await portal.VisitAsync();
        await new SignInScreen(visit).OpenAsync();
        await new SignInScreen(visit).SignInAsync(company.Admin.Email, company.Admin.Password);

        // Mine, then all company: the colleague's ticket, with the time spent on it.
        var list = new TicketListScreen(visit);
        await Expect(list.Row(company.TicketReference)).ToHaveCountAsync(0);
        await list.ShowAllCompanyAsync();
        await Expect(list.Row(company.TicketReference)).ToContainTextAsync(Company.TicketSubject);
        await Expect(list.Row(company.TicketReference)).ToContainTextAsync("Marc Colleague");
        await Expect(list.Row(company.TicketReference)).ToContainTextAsync("1 h 30 min");
        await visit.ShowsAsync("portal-company-tickets");

        // A user invited, their invitation accepted from the link the page gives, deactivated and reactivated.
        var users = await new UsersScreen(visit).OpenAsync();
        var email = $"dana-{Guid.NewGuid():N}"[..16] + "@portal.test";
        var link = await users.InviteAsync(email, "Dana New");
        await Expect(users.Row("Dana New")).ToContainTextAsync("Invited");
        await visit.ShowsAsync("portal-users");
        await users.ActAsync("Resend invitation", "Dana New");
        var resent = await users.LinkAsync();
        resent.ShouldNotBe(link);
        var token = Uri.UnescapeDataString(new Uri(resent).Query.Split("token=")[1]);
        (await portal.Platform.Anonymous().PostAsJsonAsync("/api/auth/invitations/accept", new { token, password = PortalFixture.Password })).EnsureSuccessStatusCode();
        await users.OpenAsync();
        await Expect(users.Row("Dana New")).ToContainTextAsync("Active");
        await users.ActAsync("Deactivate", "Dana New");
        await Expect(users.Notice).ToHaveTextAsync("The user is deactivated: they can no longer sign in.");
        await Expect(users.Row("Dana New")).ToContainTextAsync("Deactivated");
        (await portal.Platform.Anonymous().PostAsJsonAsync("/api/auth/login", new { email, password = PortalFixture.Password })).StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized);
        await users.ActAsync("Reactivate", "Dana New");
        await Expect(users.Notice).ToHaveTextAsync("The user is active again and can sign in with their password.");
        await Expect(users.Row("Dana New")).ToContainTextAsync("Active");
        (await portal.Platform.Anonymous().PostAsJsonAsync("/api/auth/login", new { email, password = PortalFixture.Password })).EnsureSuccessStatusCode();

        // Last month's service level: one ticket in time, one late; the chart and its table.
        var overview = await new CompanyScreen(visit).OpenAsync();
        await Expect(overview.Chart).ToBeVisibleAsync();
        var lastMonth = company.LastMonth.ToDateTime(TimeOnly.MinValue).ToString("Y", CultureInfo.GetCultureInfo("en-GB"));
        await Expect(overview.MonthRow(lastMonth)).ToContainTextAsync("50 %");
        var cells = overview.MonthRow(lastMonth).GetByRole(AriaRole.Cell);
        await Expect(cells).ToHaveTextAsync(["2", "1", "1", "50 %"]);
        await Expect(overview.Hours).ToContainTextAsync("Bought 10.0 h · used 1.5 h · left 8.5 h");
        await visit.ShowsAsync("portal-company");

        // The issued invoice, its lines, printable.
        var invoices = await new InvoicesScreen(visit).OpenAsync();
        await visit.ShowsAsync("portal-invoices");
        var invoice = await invoices.OpenInvoiceAsync(company.InvoiceNumber);
        await Expect(invoice.Lines).ToContainTextAsync("£900.00"); // a GB tenant is billed in pounds
        await Expect(invoice.Print).ToBeVisibleAsync();
        await visit.ShowsAsync("portal-invoice");
        var api = await portal.Platform.Gateway.GetFromJsonAsync<JsonElement>($"/api/billing/invoices?tenantId={tenantId}");
        api.GetProperty("items").GetArrayLength().ShouldBe(1);
    }
}
