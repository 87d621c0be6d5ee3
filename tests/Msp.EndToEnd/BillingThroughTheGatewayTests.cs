using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Testing;

namespace Msp.EndToEnd;

/// <summary>A month of a block-hours client billed through the gateway: the contract names an SLA policy (Slas puts
/// the tenant on it), a ticket breaches it (Billing hears of the breach), time is logged on the ticket, and the invoice
/// run bills the fee, the block bought, the hours drawn, the overage and the tax, each from the events the services
/// exchanged. The month billed is last month: a run bills no time of a month that has not ended (decision 0111), and the
/// breach, which happens now, earns its credit with this month's time (credits have their own tests in Billing).</summary>
[Collection(nameof(PlatformCollection))]
public sealed class BillingThroughTheGatewayTests(Platform platform)
{
    /// <summary>Queues a run of the month (202) and polls it through the gateway until it has succeeded.</summary>
    private static async Task RunAsync(HttpClient api, string period)
    {
        var accepted = await api.PostAsJsonAsync("/api/billing/invoice-runs", new { period });
        await OkAsync(accepted, HttpStatusCode.Accepted);
        await Eventually.HoldsAsync(async () =>
            (await OkAsync(await api.GetAsync(accepted.Headers.Location))).GetProperty("status").GetString() == "Succeeded",
            TimeSpan.FromSeconds(60), "the invoice run succeeds");
    }

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        response.StatusCode.ShouldBe(status, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task ABlockHoursClientsMonth_IsInvoicedWithDrawnHoursOverageAndTax_AndTotalsAreSumsOfRoundedLines()
    {
        var api = platform.Gateway;
        var (tenant, _) = await platform.CreateTenantAsync();
        await Eventually.HoldsAsync(async () => (await api.GetAsync($"/api/billing/accounts/{tenant}")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(10), "Billing opens the tenant's account");
        await OkAsync(await api.PutAsJsonAsync($"/api/billing/accounts/{tenant}",
            new { currency = "EUR", taxRatePercent = 20, billingContact = "billing@acme.test", paymentTermsDays = 30 }));

        var calendar = await OkAsync(await api.PostAsJsonAsync("/api/slas/calendars", new { name = "24x7 " + tenant, timeZone = "UTC", alwaysOpen = true }),
            HttpStatusCode.Created);
        var policy = (await OkAsync(await api.PostAsJsonAsync("/api/slas/policies", new
        {
            name = "Immediate " + tenant,
            calendarId = calendar.GetProperty("id").GetGuid(),
            targets = new[] { "P1", "P2", "P3", "P4" }.Select(priority => new
            {
                priority, firstResponseMinutes = priority == "P2" ? 0 : 600, resolutionMinutes = 6000, aroundTheClock = true,
            }),
        }), HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var firstDay = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        var workDay = firstDay.AddDays(9);
        var period = $"{firstDay:yyyy-MM}";
        await OkAsync(await api.PostAsJsonAsync("/api/billing/contracts", new
        {
            tenantId = tenant, name = "Prepaid support", kind = "BlockHours", startsOn = firstDay, slaPolicyId = policy,
            fee = new { unit = "Flat", monthlyUnitPrice = 500m },
            blocks = new[] { new { purchasedOn = firstDay, hours = 2m, price = 180m } },
            overageRate = 120m, slaCredit = new { percentPerBreach = 5m, capPercent = 20m },
        }), HttpStatusCode.Created);
        await Eventually.HoldsAsync(async () => (await OkAsync(await api.GetAsync($"/api/slas/tenants/{tenant}"))).GetProperty("policyId").GetGuid() == policy,
            TimeSpan.FromSeconds(10), "Slas puts the tenant on the policy the contract sells");

        var (_, client) = await platform.SignedInUserAsync("ClientAdmin", tenant);
        var ticket = (await OkAsync(await client.PostAsJsonAsync("/api/tickets",
            new { subject = "Printer offline", description = "Since this morning.", impact = "Medium", urgency = "High" }), HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        foreach (var minutes in new[] { 90, 90 })
        {
            await OkAsync(await api.PostAsJsonAsync($"/api/tickets/{ticket}/time-entries",
                new { minutes, workType = "Remote", billable = true, note = "Remote session", workDate = workDay }), HttpStatusCode.Created);
        }

        var billing = platform.Databases["billing"];
        await Eventually.HoldsAsync(async () => await billing.ScalarAsync<long>("SELECT count(*) FROM sla_breaches WHERE tenant_id = $1", tenant) == 1
                && await billing.ScalarAsync<long>("SELECT count(*) FROM usage_entries WHERE tenant_id = $1", tenant) == 2,
            TimeSpan.FromSeconds(15), "Billing has the breach from Slas and the time from Tickets");

        await RunAsync(api, period);
        await RunAsync(api, period);

        var list = await OkAsync(await api.GetAsync($"/api/billing/invoices?tenantId={tenant}&period={period}"));
        list.GetProperty("items").GetArrayLength().ShouldBe(1, "two runs, one invoice");
        var invoice = await OkAsync(await api.GetAsync($"/api/billing/invoices/{list.GetProperty("items")[0].GetProperty("id").GetGuid()}"));
        var lines = invoice.GetProperty("lines").EnumerateArray()
            .Select(l => (Kind: l.GetProperty("kind").GetString(), Minutes: l.GetProperty("minutes").GetInt32(), Amount: l.GetProperty("amount").GetDecimal()))
            .ToList();
        lines.ShouldBe([
            ("RecurringFee", 0, 500.00m), ("BlockPurchase", 0, 180.00m), ("HoursDrawn", 120, 0m), ("Overage", 60, 120.00m)]);
        invoice.GetProperty("subtotal").GetDecimal().ShouldBe(lines.Sum(l => l.Amount));
        invoice.GetProperty("tax").GetDecimal().ShouldBe(160.00m);
        invoice.GetProperty("total").GetDecimal().ShouldBe(lines.Sum(l => l.Amount) + 160.00m);
        list.GetProperty("items")[0].GetProperty("total").GetDecimal().ShouldBe(960.00m);
        lines.Sum(l => l.Minutes).ShouldBe(180, "every billable minute on one line");
    }
}
