using System.Net;
using System.Net.Http.Json;
using Msp.Billing.Domain;
using Msp.Billing.Features.Accounts;
using Msp.Testing;

namespace Msp.Billing.Tests.Features.Invoices;

/// <summary>Fees in advance or in arrears through the API: the same contract and time give the lines decision 0111
/// documents, and a month not over bills none of its time.</summary>
[Collection(nameof(BillingCollection))]
public sealed class FeeTimingRunTests(ServiceFactory<Program> factory)
{
    [Fact]
    public async Task InAdvanceAndInArrears_TheSameContractAndTime_GiveTheDocumentedLines()
    {
        var op = await factory.OperatorAsync();
        var advance = await TenantAsync(op, FeeTiming.Advance);
        var arrears = await TenantAsync(op, FeeTiming.Arrears);
        (await op.GetFromJsonAsync<AccountResponse>($"/api/billing/accounts/{advance}"))!.FeeTiming.ShouldBe(FeeTiming.Advance);

        await BillingSeed.RunAsync(op, "2024-10");

        (await BillingSeed.InvoiceAsync(op, advance, "2024-10")).Lines.Select(l => (l.Kind, l.Minutes, l.Amount))
            .ShouldBe([(LineKind.RecurringFee, 0, 300m), (LineKind.TimeAndMaterials, 60, 90m)], "October's fee and September's time");
        (await BillingSeed.InvoiceAsync(op, arrears, "2024-10")).Lines.Select(l => (l.Kind, l.Minutes, l.Amount))
            .ShouldBe([(LineKind.RecurringFee, 0, 300m), (LineKind.TimeAndMaterials, 30, 45m)], "October's fee and October's time");
    }

    [Fact]
    public async Task ARunOfTheMonthStillRunning_BillsItsFeeButNoneOfItsTime()
    {
        var op = await factory.OperatorAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var thisMonth = new BillingPeriod(today.Year, today.Month);
        var tenant = await factory.AccountAsync(op);
        await ContractAsync(op, tenant, thisMonth.Start);
        await factory.TimeAsync(tenant, thisMonth.Start, 60);

        await BillingSeed.RunAsync(op, thisMonth.ToString());

        var invoice = await BillingSeed.InvoiceAsync(op, tenant, thisMonth.ToString());
        invoice.Lines.Select(l => l.Kind).ShouldBe([LineKind.RecurringFee]);
    }

    /// <summary>A tenant paying <paramref name="timing"/>: a flat 300 a month from September 2024 with time at 90 an hour,
    /// 60 minutes worked on 10 September and 30 on 5 October.</summary>
    private async Task<Guid> TenantAsync(HttpClient op, FeeTiming timing)
    {
        var tenant = await factory.AccountAsync(op);
        var response = await op.PutAsJsonAsync($"/api/billing/accounts/{tenant}",
            new { currency = "EUR", taxRatePercent = 20m, paymentTermsDays = 30, feeTiming = timing.ToString() });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        await ContractAsync(op, tenant, new DateOnly(2024, 9, 1));
        await factory.TimeAsync(tenant, new DateOnly(2024, 9, 10), 60);
        await factory.TimeAsync(tenant, new DateOnly(2024, 10, 5), 30);
        return tenant;
    }

    private static async Task ContractAsync(HttpClient op, Guid tenant, DateOnly startsOn)
    {
        var response = await op.PostAsJsonAsync("/api/billing/contracts", new
        {
            tenantId = tenant, name = "Support", kind = "TimeAndMaterials", startsOn, fee = new { unit = "Flat", monthlyUnitPrice = 300m },
            rates = new Dictionary<string, decimal> { ["Remote"] = 90m }, defaultRate = 100m,
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }
}
