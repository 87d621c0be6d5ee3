using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Testing;

namespace Msp.Browser;

/// <summary>A client company with a few months behind it: a ClientAdmin, a colleague with a ticket a technician spent
/// 90 minutes on, a block-hours contract since last month with last month's invoice issued, and last month's SLA
/// record (one ticket in time, one late).</summary>
public sealed record Company(Guid TenantId, Person Admin, Person Colleague, Person Technician, Guid TicketId, string TicketReference, string InvoiceNumber, DateOnly LastMonth)
{
    public const string TicketSubject = "Shared drive is read-only";

    public static async Task<Company> SeedAsync(PortalFixture fixture, Guid tenantId)
    {
        var platform = fixture.Platform;
        var admin = await fixture.ClientAsync(tenantId, "ClientAdmin", "Claire Admin");
        var colleague = await fixture.ClientAsync(tenantId, "ClientUser", "Marc Colleague");
        var technician = await fixture.TechnicianAsync(tenantId);
        var (ticketId, reference) = await PortalFixture.OpenTicketAsync(colleague, TicketSubject);

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var lastMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        var api = platform.Gateway;
        await Eventually.HoldsAsync(async () => (await api.GetAsync($"/api/billing/accounts/{tenantId}")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), "Billing opens the tenant's account");
        (await api.PostAsJsonAsync("/api/billing/contracts", new
        {
            tenantId, name = "Prepaid support", kind = "BlockHours", startsOn = lastMonth,
            blocks = new[] { new { purchasedOn = lastMonth, hours = 10m, price = 900m } }, overageRate = 110m,
        })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await technician.Api.PostAsJsonAsync($"/api/tickets/{ticketId}/time-entries",
            new { minutes = 90, workType = "Remote", billable = true, note = "Remote session", workDate = lastMonth.AddDays(14) })).StatusCode.ShouldBe(HttpStatusCode.Created);
        await Eventually.HoldsAsync(
            async () => await platform.Databases["billing"].ScalarAsync<long>("SELECT count(*) FROM usage_entries WHERE tenant_id = $1", tenantId) == 1,
            TimeSpan.FromSeconds(60), "Billing has the time from Tickets");

        var period = $"{lastMonth:yyyy-MM}";
        var run = await api.PostAsJsonAsync("/api/billing/invoice-runs", new { period });
        run.StatusCode.ShouldBe(HttpStatusCode.Accepted, await run.Content.ReadAsStringAsync());
        await Eventually.HoldsAsync(async () =>
            (await api.GetFromJsonAsync<JsonElement>(run.Headers.Location)).GetProperty("status").GetString() == "Succeeded",
            TimeSpan.FromSeconds(60), "the invoice run succeeds");
        var list = await api.GetFromJsonAsync<JsonElement>($"/api/billing/invoices?tenantId={tenantId}&period={period}");
        var invoiceId = list.GetProperty("items")[0].GetProperty("id").GetGuid();
        var issued = await api.PostAsync($"/api/billing/invoices/{invoiceId}/issue", null);
        if (issued.StatusCode == HttpStatusCode.Conflict)
        {
            issued = await api.PostAsync($"/api/billing/invoices/{invoiceId}/issue", null); // recomputed: issue what is now reviewed
        }

        issued.StatusCode.ShouldBe(HttpStatusCode.OK, await issued.Content.ReadAsStringAsync());
        var number = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetString()!;

        await RecordLastMonthsSlaAsync(platform.Databases["slas"], tenantId, lastMonth);
        return new Company(tenantId, admin, colleague, technician, ticketId, reference, number, lastMonth);
    }

    /// <summary>Two tickets opened last month as the SLA engine keeps them once done: one answered and resolved in
    /// time, one late. Written straight into its database, since a test cannot open tickets in the past.</summary>
    private static async Task RecordLastMonthsSlaAsync(TestDatabase slas, Guid tenantId, DateOnly lastMonth)
    {
        var opened = new DateTimeOffset(lastMonth.AddDays(9).ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero);
        foreach (var (late, n) in new[] { (false, 1), (true, 2) })
        {
            var ticket = Guid.NewGuid();
            await slas.ScalarAsync<int>(
                "INSERT INTO sla_tickets (ticket_id, tenant_id, reference, opened_at, revision, updated_at) VALUES ($1, $2, $3, $4, 1, now()) RETURNING 1",
                ticket, tenantId, $"OLD-{n}", opened);
            foreach (var kind in new[] { "FirstResponse", "Resolution" })
            {
                var due = opened.AddHours(kind == "FirstResponse" ? 4 : 16);
                await slas.ScalarAsync<int>("""
                    INSERT INTO sla_clocks (ticket_id, kind, tenant_id, policy_id, warning_percent, ticket_reference, state, priority, target_minutes,
                        started_at, elapsed_before, segment_start, due_at, breach_at, breached_at, stopped_at, stop_reason, met, ledger, updated_at)
                    VALUES ($1, $2, $3, $4, 75, $5, 'Stopped', 'P3', 240, $6, interval '60 minutes', $6, $7, $8, $8, $9, 'Stopped', $10, '[]', now())
                    RETURNING 1
                    """,
                    ticket, kind, tenantId, Guid.NewGuid(), $"OLD-{n}", opened, due,
                    late ? due : DBNull.Value, late ? due.AddHours(2) : opened.AddHours(1), !late);
            }
        }
    }
}
