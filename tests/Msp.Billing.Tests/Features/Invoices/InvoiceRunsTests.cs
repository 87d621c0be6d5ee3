using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Billing.Domain;
using Msp.Billing.Features.Invoices;
using Msp.Contracts.Billing;
using Msp.Contracts.Tickets;
using Msp.Contracts;
using Msp.Data;
using Msp.KnownParties;
using Msp.ServiceDefaults.Identity;
using Msp.Testing;

namespace Msp.Billing.Tests.Features.Invoices;

/// <summary>Invoice runs: one invoice per tenant and period however often and however concurrently the period runs,
/// every billable minute on exactly one line, issued invoices never changed, changes after issue as adjustments.</summary>
[Collection(nameof(BillingCollection))]
public sealed class InvoiceRunsTests(ServiceFactory<Program> factory)
{
    private static readonly LineKind[] TimeKinds = [LineKind.HoursDrawn, LineKind.Overage, LineKind.TimeAndMaterials, LineKind.IncludedTime, LineKind.Adjustment];

    private static int Minutes(InvoiceResponse invoice) => invoice.Lines.Where(l => TimeKinds.Contains(l.Kind)).Sum(l => l.Minutes);

    [Fact]
    public async Task RunningAPeriodTwice_OrTwiceAtOnce_YieldsOneInvoicePerTenant_WithEveryBillableMinuteOnExactlyOneLine()
    {
        var op = await factory.OperatorAsync();
        var tenants = new List<Guid>();
        var billable = new Dictionary<Guid, int>();
        for (var t = 0; t < 3; t++)
        {
            var tenant = await factory.AccountAsync(op);
            tenants.Add(tenant);
            await BillingSeed.BlockHoursAsync(op, tenant, new DateOnly(2025, 1, 1), hours: 2);
            billable[tenant] = 0;
            for (var i = 0; i < 12; i++)
            {
                var minutes = 15 + (7 * i) + t;
                await factory.TimeAsync(tenant, new DateOnly(2025, 1, 1 + (i * 2)), minutes, i % 3 == 0 ? "OnSite" : "Remote");
                billable[tenant] += minutes;
            }

            await factory.TimeAsync(tenant, new DateOnly(2025, 1, 5), 600, billable: false); // never on an invoice
            await factory.TimeAsync(tenant, new DateOnly(2025, 2, 1), 45); // next period's
        }

        var first = await BillingSeed.RunAsync(op, "2025-01");
        var second = await BillingSeed.RunAsync(op, "2025-01");
        var together = await Task.WhenAll(op.PostAsJsonAsync("/api/billing/invoice-runs", new { period = "2025-01" }),
            op.PostAsJsonAsync("/api/billing/invoice-runs", new { period = "2025-01" }));

        first.Created.ShouldBeGreaterThanOrEqualTo(3);
        second.Created.ShouldBe(0, "the second run finds the drafts");
        second.Updated.ShouldBe(0, "and they are already what it computes");
        together.Select(r => (int)r.StatusCode).Order().ToArray().ShouldBe(new[] { 202, 409 }, "one run of a month at a time");
        var third = await BillingSeed.FollowAsync(op, together.Single(r => r.StatusCode == HttpStatusCode.Accepted).Headers.Location!.ToString());
        (third.Created + third.Updated).ShouldBe(0);
        foreach (var tenant in tenants)
        {
            (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM invoices WHERE tenant_id = $1 AND period = '2025-01'", tenant)).ShouldBe(1);
            var invoice = await BillingSeed.InvoiceAsync(op, tenant, "2025-01");
            Minutes(invoice).ShouldBe(billable[tenant], "every billable minute of the period, once");
            invoice.Lines.Single(l => l.Kind == LineKind.HoursDrawn).Minutes.ShouldBe(120);
            invoice.Total.ShouldBe(invoice.Lines.Sum(l => l.Amount) + invoice.Tax);
            invoice.Tax.ShouldBe(Math.Round(invoice.Lines.Sum(l => l.Amount) * 0.20m, 2, MidpointRounding.AwayFromZero));
            (await factory.Database.ScalarAsync<long>(
                "SELECT count(*) FROM (SELECT time_entry_id FROM billed_time WHERE tenant_id = $1 GROUP BY time_entry_id HAVING sum(minutes) <> 0) e", tenant))
                .ShouldBe(12, "each billable entry is billed, the unbillable one and February's are not");
        }
    }

    [Fact]
    public async Task ATimeEntryChangedAfterItsInvoiceWasIssued_IsAnAdjustmentOnTheNextInvoice_AndTheIssuedOneNeverChanges()
    {
        var op = await factory.OperatorAsync();
        var tenant = await factory.AccountAsync(op);
        await BillingSeed.TimeAndMaterialsAsync(op, tenant, new DateOnly(2025, 3, 1));
        var entry = Guid.CreateVersion7();
        await DeliverAsync(Logged(tenant, entry, 1, 90, new DateOnly(2025, 3, 20)));
        await BillingSeed.RunAsync(op, "2025-03");
        await BillingSeed.IssueAsync(op, (await BillingSeed.InvoiceAsync(op, tenant, "2025-03")).Id);
        var march = await BillingSeed.InvoiceAsync(op, tenant, "2025-03");
        march.Total.ShouldBe(270.00m, "90 min OnSite at 150 an hour, plus 20 % tax");
        march.Number.ShouldNotBeNull();

        await DeliverAsync(Changed(tenant, entry, 2, 120, new DateOnly(2025, 3, 20)));
        await factory.TimeAsync(tenant, new DateOnly(2025, 4, 2), 60, "Remote");
        await BillingSeed.RunAsync(op, "2025-03");
        await BillingSeed.RunAsync(op, "2025-04");

        var again = await op.GetFromJsonAsync<InvoiceResponse>($"/api/billing/invoices/{march.Id}");
        again.ShouldBe(march with { Lines = again!.Lines }, "an issued invoice never changes");
        again.Lines.ShouldBe(march.Lines);
        var april = await BillingSeed.InvoiceAsync(op, tenant, "2025-04");
        april.Lines.Select(l => (l.Kind, l.Minutes, l.Amount)).ShouldBe([(LineKind.TimeAndMaterials, 60, 90.00m), (LineKind.Adjustment, 30, 75.00m)]);
        april.Lines[1].Description.ShouldContain("+30 min on ACME-7, worked 2025-03-20");

        await BillingSeed.IssueAsync(op, april.Id);
        await BillingSeed.RunAsync(op, "2025-05");
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM invoices WHERE tenant_id = $1 AND period = '2025-05'", tenant))
            .ShouldBe(0, "the adjustment is billed once");
        (await factory.Database.ScalarAsync<long>(
            "SELECT sum(b.minutes) FROM billed_time b JOIN invoices i ON i.id = b.invoice_id WHERE b.time_entry_id = $1 AND i.status = 'Issued'", entry))
            .ShouldBe(120);
    }

    [Fact]
    public async Task IssuedNumbersAreGapless_AVoidIssuesACreditNote_AndThePeriodCanBeInvoicedAgain()
    {
        var op = await factory.OperatorAsync();
        var tenants = new[] { await factory.AccountAsync(op), await factory.AccountAsync(op) };
        foreach (var tenant in tenants)
        {
            await BillingSeed.TimeAndMaterialsAsync(op, tenant, new DateOnly(2025, 6, 1));
            await factory.TimeAsync(tenant, new DateOnly(2025, 6, 3), 60);
        }

        await BillingSeed.RunAsync(op, "2025-06");
        var issued = new List<InvoiceResponse>();
        foreach (var tenant in tenants)
        {
            issued.Add(await BillingSeed.IssueAsync(op, (await BillingSeed.InvoiceAsync(op, tenant, "2025-06")).Id));
        }

        var numbers = issued.Select(i => int.Parse(i.Number!["INV-".Length..])).ToList();
        numbers[1].ShouldBe(numbers[0] + 1);
        (await op.PostAsync($"/api/billing/invoices/{issued[0].Id}/issue", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var voided = await op.PostAsync($"/api/billing/invoices/{issued[0].Id}/void", null);
        voided.StatusCode.ShouldBe(HttpStatusCode.OK);
        var result = (await voided.Content.ReadFromJsonAsync<VoidResponse>())!;
        result.Invoice.Status.ShouldBe(InvoiceStatus.Void);
        result.CreditNote.Kind.ShouldBe(InvoiceKind.CreditNote);
        result.CreditNote.Number.ShouldStartWith("CN-");
        result.CreditNote.Total.ShouldBe(-issued[0].Total);
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE message_type LIKE '%InvoiceIssued%' AND payload->>'invoiceId' = $1",
            result.CreditNote.Id.ToString())).ShouldBe(1);

        (await op.PostAsync($"/api/billing/invoices/{issued[1].Id}/paid", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var paidVoid = await op.PostAsync($"/api/billing/invoices/{issued[1].Id}/void", null);
        paidVoid.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await paidVoid.Content.ReadAsStringAsync()).ShouldContain("paid");

        var rerun = await BillingSeed.RunAsync(op, "2025-06");
        rerun.Created.ShouldBe(1, "the voided period gets a new draft");
        Minutes(await BillingSeed.InvoiceAsync(op, tenants[0], "2025-06")).ShouldBe(60);
    }

    [Fact]
    public async Task ADraftThatUsageMovedOnFrom_IsNotIssued_ButBroughtUpToDate()
    {
        var op = await factory.OperatorAsync();
        var tenant = await factory.AccountAsync(op);
        await BillingSeed.TimeAndMaterialsAsync(op, tenant, new DateOnly(2025, 7, 1));
        await factory.TimeAsync(tenant, new DateOnly(2025, 7, 3), 60);
        await BillingSeed.RunAsync(op, "2025-07");
        var draft = await BillingSeed.InvoiceAsync(op, tenant, "2025-07");
        await factory.TimeAsync(tenant, new DateOnly(2025, 7, 4), 30);

        var stale = await op.PostAsync($"/api/billing/invoices/{draft.Id}/issue", null);

        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await stale.Content.ReadAsStringAsync()).ShouldContain("out of date");
        var current = await BillingSeed.InvoiceAsync(op, tenant, "2025-07");
        current.Status.ShouldBe(InvoiceStatus.Draft);
        Minutes(current).ShouldBe(90);
        (await BillingSeed.IssueAsync(op, draft.Id)).Status.ShouldBe(InvoiceStatus.Issued);
    }

    [Fact]
    public async Task AClientAdmin_SeesTheirTenantsIssuedInvoices_NeverADraft()
    {
        var op = await factory.OperatorAsync();
        var tenant = await factory.AccountAsync(op);
        await BillingSeed.TimeAndMaterialsAsync(op, tenant, new DateOnly(2025, 8, 1));
        await factory.TimeAsync(tenant, new DateOnly(2025, 8, 3), 60);
        await factory.TimeAsync(tenant, new DateOnly(2025, 9, 3), 60);
        await BillingSeed.RunAsync(op, "2025-08");
        await BillingSeed.RunAsync(op, "2025-09");
        var august = await BillingSeed.IssueAsync(op, (await BillingSeed.InvoiceAsync(op, tenant, "2025-08")).Id);
        var september = await BillingSeed.InvoiceAsync(op, tenant, "2025-09");
        var admin = factory.ClientFor(await factory.ClientUserAsync(tenant, MspRoles.ClientAdmin));

        var page = await admin.GetFromJsonAsync<PageOf<InvoiceSummary>>("/api/billing/invoices");

        page!.Items.Select(i => i.Id).ShouldBe([august.Id]);
        page.Items[0].Total.ShouldBe(august.Total);
        (await admin.GetAsync($"/api/billing/invoices/{august.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.GetAsync($"/api/billing/invoices/{september.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.PostAsync($"/api/billing/invoices/{september.Id}/issue", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task TheExport_ListsEachIssuedLine_AsCsvAndJson()
    {
        var op = await factory.OperatorAsync();
        var tenant = await factory.AccountAsync(op);
        await BillingSeed.TimeAndMaterialsAsync(op, tenant, new DateOnly(2025, 10, 1));
        await factory.TimeAsync(tenant, new DateOnly(2025, 10, 3), 60);
        await factory.TimeAsync(tenant, new DateOnly(2025, 10, 4), 30, "OnSite");
        await BillingSeed.RunAsync(op, "2025-10");
        var issued = await BillingSeed.IssueAsync(op, (await BillingSeed.InvoiceAsync(op, tenant, "2025-10")).Id);

        var csv = await op.GetStringAsync("/api/billing/invoices/export?period=2025-10&format=csv");
        var json = await op.GetFromJsonAsync<List<InvoiceResponse>>("/api/billing/invoices/export?period=2025-10");

        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        rows[0].ShouldStartWith("number,kind,status,tenant_id,tenant,period,issued_on,due_on,currency,line,line_kind,description,quantity,unit_price,amount");
        rows.Count(r => r.StartsWith(issued.Number + ",", StringComparison.Ordinal)).ShouldBe(2);
        json!.Single(i => i.Id == issued.Id).Lines.Count.ShouldBe(2);
        (await op.GetAsync("/api/billing/invoices/export?period=2025-13")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"period\":\"2025-13\"}")]
    [InlineData("{\"period\":\"1999-12\"}")]
    [InlineData("{\"period\":\"Oct 2025\"}")]
    public async Task ARunWithoutAValidPeriod_IsAProblemNamingThePeriod(string body)
    {
        var op = await factory.OperatorAsync();

        var response = await op.PostAsync("/api/billing/invoice-runs", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("period", out _).ShouldBeTrue();
    }

    private async Task DeliverAsync(IIntegrationEvent message)
    {
        await factory.Bus.Publish(message, message.GetType());
        await Eventually.HoldsAsync(() => Task.FromResult(factory.Consumed.Of(message.EventId) >= 1), TimeSpan.FromSeconds(15), "the event is consumed");
    }

    private static TimeEntryLogged Logged(Guid tenant, Guid entry, long version, int minutes, DateOnly workDate) => new()
    {
        EventId = EventIds.New(), TenantId = tenant, OccurredAt = DateTimeOffset.UtcNow, TimeEntryId = entry, TicketId = Guid.CreateVersion7(),
        TicketReference = "ACME-7", TechnicianId = Guid.CreateVersion7(), Minutes = minutes, WorkType = "OnSite", Billable = true, WorkDate = workDate,
        Version = version,
    };

    private static TimeEntryChanged Changed(Guid tenant, Guid entry, long version, int minutes, DateOnly workDate) => new()
    {
        EventId = EventIds.New(), TenantId = tenant, OccurredAt = DateTimeOffset.UtcNow, TimeEntryId = entry, TicketId = Guid.CreateVersion7(),
        TicketReference = "ACME-7", TechnicianId = Guid.CreateVersion7(), Minutes = minutes, WorkType = "OnSite", Billable = true, WorkDate = workDate,
        Version = version, Deleted = false,
    };
}
