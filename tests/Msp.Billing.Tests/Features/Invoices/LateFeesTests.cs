using System.Net;
using System.Net.Http.Json;
using Msp.Billing.Domain;
using Msp.Billing.Features.Contracts;
using Msp.Billing.Features.Invoices;
using Msp.Testing;

namespace Msp.Billing.Tests.Features.Invoices;

/// <summary>Recurring fees that miss nothing (issue 21): a contract, a quantity change or an end recorded after its month
/// was issued reaches the next invoice as an adjustment, and every fee-day of every contract is on exactly one issued
/// line.</summary>
[Collection(nameof(BillingCollection))]
public sealed class LateFeesTests(ServiceFactory<Program> factory)
{
    [Fact]
    public async Task AManagedServiceStartingMidMonth_AddedAfterTheMonthWasIssued_IsBilledOnTheNextInvoiceAsAnAdjustment()
    {
        var op = await factory.OperatorAsync();
        var tenant = await factory.AccountAsync(op);
        await BillingSeed.TimeAndMaterialsAsync(op, tenant, new DateOnly(2023, 1, 1));
        await factory.TimeAsync(tenant, new DateOnly(2023, 1, 10), 60);
        await BillingSeed.RunAsync(op, "2023-01");
        await BillingSeed.IssueAsync(op, (await BillingSeed.InvoiceAsync(op, tenant, "2023-01")).Id);

        var managed = await ManagedAsync(op, tenant, new DateOnly(2023, 1, 15), users: 10, price: 31m);
        await factory.TimeAsync(tenant, new DateOnly(2023, 2, 3), 60);
        await BillingSeed.RunAsync(op, "2023-02");

        var february = await BillingSeed.InvoiceAsync(op, tenant, "2023-02");
        var adjustment = february.Lines.Single(l => l.Kind == LineKind.Adjustment);
        (adjustment.ContractId, adjustment.FirstDay, adjustment.LastDay, adjustment.Units, adjustment.Amount)
            .ShouldBe((managed.Id, new DateOnly(2023, 1, 15), new DateOnly(2023, 1, 31), 10m, 170.00m), "17 of January's 31 days of 10 × 31");
        adjustment.Description.ShouldContain("17 of 31 days (2023-01-15 to 2023-01-31), in 2023-01, invoiced before");
        february.Lines.Single(l => l.Kind == LineKind.RecurringFee).Amount.ShouldBe(310.00m);
        var january = await BillingSeed.InvoiceAsync(op, tenant, "2023-01");
        january.Lines.ShouldAllBe(l => l.Kind != LineKind.RecurringFee, "the issued January never changes");
    }

    [Fact]
    public async Task OverSeveralContractsAndLateChanges_EachFeeDayIsOnExactlyOneIssuedInvoice()
    {
        var op = await factory.OperatorAsync();
        var tenant = await factory.AccountAsync(op);
        var block = await BillingSeed.BlockHoursAsync(op, tenant, new DateOnly(2023, 3, 1)); // a flat fee of 500
        var early = await ManagedAsync(op, tenant, new DateOnly(2023, 3, 10), users: 5, price: 20m);
        await IssueMonthAsync(op, tenant, "2023-03");

        // Recorded after March was issued: a contract from 20 March, two units of the flat fee from 25 March.
        var late = await ManagedAsync(op, tenant, new DateOnly(2023, 3, 20), users: 3, price: 62m);
        await PostOkAsync(op, $"/api/billing/contracts/{block.Id}/quantities", new { effectiveFrom = "2023-03-25", quantity = 2 });
        await IssueMonthAsync(op, tenant, "2023-04");

        // After April: the early contract ended on 12 April, the late one at 4 users from 1 April.
        await PostOkAsync(op, $"/api/billing/contracts/{early.Id}/end", new { endsOn = "2023-04-12" });
        await PostOkAsync(op, $"/api/billing/contracts/{late.Id}/quantities", new { effectiveFrom = "2023-04-01", quantity = 4 });
        await IssueMonthAsync(op, tenant, "2023-05");
        await IssueMonthAsync(op, tenant, "2023-06");

        var page = await op.GetFromJsonAsync<PageOf<InvoiceSummary>>($"/api/billing/invoices?tenantId={tenant}&status=Issued");
        page!.Items.Count.ShouldBe(4);
        var billed = new List<FeeDays>();
        foreach (var summary in page.Items)
        {
            var invoice = await op.GetFromJsonAsync<InvoiceResponse>($"/api/billing/invoices/{summary.Id}");
            billed.AddRange(invoice!.Lines.Select(FeeDays.Of).OfType<FeeDays>());
        }

        var checkedDays = 0;
        foreach (var id in new[] { block.Id, early.Id, late.Id })
        {
            var contract = (await op.GetFromJsonAsync<ContractResponse>($"/api/billing/contracts/{id}"))!;
            var terms = new ContractTerms(contract.StartsOn, contract.EndsOn, contract.Fee, contract.Blocks, contract.OverageRate, contract.Rates, contract.DefaultRate, contract.SlaCredit);
            foreach (var month in new[] { new BillingPeriod(2023, 3), new BillingPeriod(2023, 4), new BillingPeriod(2023, 5), new BillingPeriod(2023, 6) })
            {
                var owed = InvoiceMath.FeeUnits(terms, month);
                for (var day = month.Start; day < month.End; day = day.AddDays(1))
                {
                    billed.Where(f => f.ContractId == id && f.First <= day && day <= f.Last).Sum(f => f.Units)
                        .ShouldBe(owed.GetValueOrDefault(day), $"contract {contract.Name} on {day:yyyy-MM-dd}");
                    checkedDays += owed.ContainsKey(day) ? 1 : 0;
                }
            }
        }

        checkedDays.ShouldBe(122 + 34 + 103, "block: March to June; early: 10 March to 12 April; late: 20 March to June");
    }

    private async Task IssueMonthAsync(HttpClient op, Guid tenant, string period)
    {
        await BillingSeed.RunAsync(op, period);
        await BillingSeed.IssueAsync(op, (await BillingSeed.InvoiceAsync(op, tenant, period)).Id);
    }

    private static async Task<ContractResponse> ManagedAsync(HttpClient op, Guid tenant, DateOnly startsOn, decimal users, decimal price)
    {
        var response = await op.PostAsJsonAsync("/api/billing/contracts", new
        {
            tenantId = tenant, name = $"Managed from {startsOn:yyyy-MM-dd}", kind = "ManagedServices", startsOn,
            fee = new { unit = "PerUser", monthlyUnitPrice = price, quantity = users },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ContractResponse>())!;
    }

    private static async Task PostOkAsync(HttpClient op, string path, object body)
    {
        var response = await op.PostAsJsonAsync(path, body);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }
}
