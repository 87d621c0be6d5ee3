using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Testing;

namespace Msp.Browser.Console;

/// <summary>Acceptance 1 of issue 21: an operator creates a client and its ClientAdmin, a calendar and a policy, and puts
/// the client on them on the pages; a block-hours contract with an SLA credit rule, logged time and a breach come through
/// the API; the operator runs the month on the page, opens the draft, issues it and exports the CSV. The figures on the
/// pages equal the API's, and the printable page shows the same lines.</summary>
[Collection(nameof(PortalCollection))]
public sealed class OperatorJourneyTests(PortalFixture portal)
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    [Fact]
    public async Task AnOperator_CreatesAClient_RunsTheMonth_IssuesTheDraft_AndExportsIt_WithTheApisFigures()
    {
        var operatorPerson = await portal.StaffAsync("Operator", "Otto Operator");
        await using var visit = await portal.SignedInVisitAsync(operatorPerson);
        var api = operatorPerson.Api;
        var slug = "j" + Guid.NewGuid().ToString("N")[..10];
        var name = "Journey " + slug[1..7];

        var clients = new ClientScreens(visit);
        await clients.CreateAsync(name, slug);
        var tenant = Guid.Parse(new Uri(visit.Page.Url).AbsolutePath.Split('/')[3]);
        var adminEmail = $"clara-{slug}@journey.test";
        var token = await clients.InviteAsync(adminEmail, "Clara Clientadmin", "ClientAdmin");
        await Expect(visit.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = adminEmail })).ToContainTextAsync("Invited");
        await visit.ShowsAsync("console-client");
        (await portal.Platform.Anonymous().PostAsJsonAsync("/api/auth/invitations/accept", new { token, password = PortalFixture.Password })).EnsureSuccessStatusCode();
        var clientAdmin = new Person(Guid.Empty, adminEmail, PortalFixture.Password, "Clara Clientadmin", await portal.SignedInAsync(adminEmail, PortalFixture.Password));

        foreach (var service in new[] { "tickets", "slas", "billing" })
        {
            await Eventually.HoldsAsync(
                async () => await portal.Platform.Databases[service].ScalarAsync<long>("SELECT count(*) FROM known_tenants WHERE id = $1", tenant) == 1,
                TimeSpan.FromSeconds(60), $"{service} records the client");
        }

        // Its calendar and policy, made on the SLA pages, and the client put on them from its SLA tab.
        var slas = new SlaScreens(visit);
        await slas.OpenNewCalendarAsync();
        await slas.FillCalendarAsync("Office " + slug, "Europe/London",
            new[] { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday" }.Select(day => new SlaScreens.Range(day, 1, "08:00", "18:00")), []);
        var calendar = await slas.SaveCalendarAsync();
        var policy = await slas.CreatePolicyAsync("Standard " + slug, "Office " + slug, 75,
            new[] { "P1", "P2", "P3", "P4" }.ToDictionary(p => p, _ => (60, 480, false)));
        await slas.PutClientOnAsync(tenant, "Standard " + slug, "Office " + slug);
        await visit.ShowsAsync("console-client-sla");
        var sla = await api.GetFromJsonAsync<JsonElement>($"/api/slas/tenants/{tenant}");
        sla.GetProperty("policyId").GetGuid().ShouldBe(policy);
        sla.GetProperty("calendarId").GetGuid().ShouldBe(calendar);
        var savedCalendar = await api.GetFromJsonAsync<JsonElement>($"/api/slas/calendars/{calendar}");
        savedCalendar.GetProperty("timeZone").GetString().ShouldBe("Europe/London");
        savedCalendar.GetProperty("hours").EnumerateArray().Select(h => $"{h.GetProperty("day").GetString()} {h.GetProperty("start").GetString()}-{h.GetProperty("end").GetString()}")
            .ShouldBe(new[] { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday" }.Select(day => $"{day} 08:00-18:00"));
        var savedPolicy = await api.GetFromJsonAsync<JsonElement>($"/api/slas/policies/{policy}");
        savedPolicy.GetProperty("calendarId").GetGuid().ShouldBe(calendar);
        savedPolicy.GetProperty("targets").EnumerateArray().ShouldAllBe(t =>
            t.GetProperty("firstResponseMinutes").GetInt32() == 60 && t.GetProperty("resolutionMinutes").GetInt32() == 480 && !t.GetProperty("aroundTheClock").GetBoolean());

        // A block-hours contract with an SLA credit rule.
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var lastMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        var period = $"{lastMonth:yyyy-MM}";
        await CreatedAsync(await api.PostAsJsonAsync("/api/billing/contracts", new
        {
            tenantId = tenant, name = "Prepaid support", kind = "BlockHours", startsOn = lastMonth,
            blocks = new[] { new { purchasedOn = lastMonth, hours = 2m, price = 180m } }, overageRate = 120m,
            slaCredit = new { percentPerBreach = 5m, capPercent = 20m },
        }));

        // Time logged on a ticket last month (beyond the block, so part of it is overage), and a breach that month.
        var technician = await portal.TechnicianAsync(tenant);
        var (ticket, reference) = await PortalFixture.OpenTicketAsync(clientAdmin, "Printer offline on the second floor");
        (await technician.Api.PostAsJsonAsync($"/api/tickets/{ticket}/time-entries",
            new { minutes = 150, workType = "Remote", billable = true, note = "Driver and queue", workDate = lastMonth.AddDays(9) })).StatusCode.ShouldBe(HttpStatusCode.Created);
        await Eventually.HoldsAsync(
            async () => await portal.Platform.Databases["billing"].ScalarAsync<long>("SELECT count(*) FROM usage_entries WHERE tenant_id = $1", tenant) == 1,
            TimeSpan.FromSeconds(60), "Billing has the time");
        // A ticket cannot be opened in the past, so last month's breach is written where Billing keeps what Slas told it.
        await portal.Platform.Databases["billing"].ScalarAsync<int>(
            "INSERT INTO sla_breaches (ticket_id, clock, tenant_id, ticket_reference, priority, due_at, recorded_at) VALUES ($1, 'Resolution', $2, $3, 'P3', $4, now()) RETURNING 1",
            ticket, tenant, reference, new DateTimeOffset(lastMonth.AddDays(9).ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero));

        // The operator runs the month and opens the client's draft: its lines and total are the API's.
        var invoicing = new InvoicingScreens(visit);
        await invoicing.RunAsync(period);
        await visit.ShowsAsync("console-invoicing");
        await invoicing.Row(name).GetByRole(AriaRole.Link, new() { Name = "Draft" }).ClickAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Draft invoice");
        var draftId = Guid.Parse(new Uri(visit.Page.Url).AbsolutePath.Split('/')[4]);
        await ShowsTheApisFiguresAsync(visit, invoicing, api, draftId);
        await visit.ShowsAsync("console-invoice-draft");

        // Issued (a draft the usage moved on from is refreshed and shown; the operator issues what is now shown).
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Issue the invoice" }).ClickAsync();
        if (await visit.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Usage moved on" }).CountAsync() > 0)
        {
            await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Issue the invoice" }).ClickAsync();
        }

        await Expect(visit.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The invoice is issued.");
        var issued = await ShowsTheApisFiguresAsync(visit, invoicing, api, draftId);
        var number = issued.GetProperty("number").GetString()!;
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Invoice {number}");
        await visit.ShowsAsync("console-invoice");

        // The printable page: the same lines and total, no console navigation.
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Printable page" }).ClickAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Button, new() { Name = "Print" })).ToBeVisibleAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Navigation, new() { Name = "Console" })).ToHaveCountAsync(0);
        await ShowsTheApisFiguresAsync(visit, invoicing, api, draftId);
        await visit.ShowsAsync("console-invoice-print");

        // The month's CSV, downloaded from the page, holds the invoice's lines with the API's total.
        await visit.GoAsync($"/console/invoicing?period={period}");
        await Expect(invoicing.Row(number)).ToContainTextAsync(name);
        var download = await visit.Page.RunAndWaitForDownloadAsync(() =>
            visit.Page.GetByRole(AriaRole.Link, new() { Name = "Export the issued documents (CSV)" }).ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith(number + ",", StringComparison.Ordinal)).ToList();
        rows.Count.ShouldBe(issued.GetProperty("lines").GetArrayLength());
        rows.Select(r => decimal.Parse(r.TrimEnd('\r').Split(',')[^1], CultureInfo.InvariantCulture)).ShouldAllBe(total => total == issued.GetProperty("total").GetDecimal());

        // The month's time per client: the 150 billable minutes logged, in the table, the chart and the CSV.
        await visit.GoAsync($"/console/reports?period={period}");
        var timeRow = visit.Page.GetByRole(AriaRole.Table, new() { Name = "Time per client and work type, by the date the work was done" })
            .GetByRole(AriaRole.Row).Filter(new() { HasText = name });
        await Expect(timeRow).ToContainTextAsync("Remote");
        await Expect(timeRow).ToContainTextAsync("2 h 30 min");
        await Expect(visit.Page.GetByRole(AriaRole.Img, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Time per client: ") })).ToContainTextAsync("2.5 h");
        await visit.ShowsAsync("console-reports-time");
        var timeCsv = await File.ReadAllTextAsync((await (await visit.Page.RunAndWaitForDownloadAsync(() =>
            visit.Page.GetByRole(AriaRole.Link, new() { Name = "Download the time report (CSV)" }).ClickAsync())).PathAsync())!);
        timeCsv.Split('\n').ShouldContain($"{name},{tenant},{period},Remote,150,0");
    }

    /// <summary>The page's lines and total are the API's invoice, written as the page writes money.</summary>
    private static async Task<JsonElement> ShowsTheApisFiguresAsync(Visit visit, InvoicingScreens invoicing, HttpClient api, Guid id)
    {
        var invoice = await api.GetFromJsonAsync<JsonElement>($"/api/billing/invoices/{id}");
        var currency = invoice.GetProperty("currency").GetString()!;
        var expected = invoice.GetProperty("lines").EnumerateArray()
            .Select(l => (l.GetProperty("description").GetString()!, Money(l.GetProperty("amount").GetDecimal(), currency))).ToList();
        expected.Count.ShouldBeGreaterThan(0);
        await Expect(visit.Page.Locator("table.lines tbody tr")).ToHaveCountAsync(expected.Count);
        (await invoicing.LinesAsync()).ShouldBe(expected);
        (await invoicing.TotalAsync()).ShouldBe(Money(invoice.GetProperty("total").GetDecimal(), currency));
        return invoice;
    }

    private static string Money(decimal amount, string currency)
    {
        var format = (NumberFormatInfo)English.NumberFormat.Clone();
        format.CurrencySymbol = currency switch { "EUR" => "€", "GBP" => "£", "USD" => "$", _ => currency };
        return amount.ToString("C", format);
    }

    private static async Task<Guid> CreatedAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
