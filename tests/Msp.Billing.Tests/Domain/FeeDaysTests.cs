using Msp.Billing.Domain;

namespace Msp.Billing.Tests.Domain;

/// <summary>Every fee-day of every contract lands on exactly one invoice line: a contract or a quantity change recorded
/// after its month was issued reaches the next invoice as an adjustment, a back-dated end gives days back.</summary>
public sealed class FeeDaysTests
{
    private static readonly BillingPeriod October = new(2026, 10); // 31 days
    private static readonly BillingPeriod November = new(2026, 11); // 30 days
    private static readonly BillingPeriod December = new(2026, 12);
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Tenant = Guid.CreateVersion7();

    private static Contract Managed(DateOnly startsOn, decimal price, decimal users) =>
        Contract.Activate(Tenant, "Managed", ContractKind.ManagedServices, startsOn, null, null,
            new RecurringFee("PerUser", price, [new QuantityChange(startsOn, users)]), [], null, null, null, null, Now).Contract;

    /// <summary>The invoice of <paramref name="period"/> given what the issued ones billed.</summary>
    private static InvoiceComputation Invoice(BillingPeriod period, IEnumerable<Contract> contracts, List<InvoiceComputation> issued) =>
        InvoiceCalculation.Compute(new BillingInputs(period, "EUR", 0m, [.. contracts], [], [], new Dictionary<Guid, int>(), [])
        {
            BilledFees = [.. issued.SelectMany(i => i.Lines).Select(FeeDays.Of).OfType<FeeDays>()],
            InvoicedMonths = [.. new[] { October, November, December }.Where(m => m.Start < period.Start).Take(issued.Count)],
        });

    [Fact]
    public void AManagedServiceStartingMidMonth_AddedAfterTheMonthWasIssued_IsAnAdjustmentOnTheNextInvoice()
    {
        var issued = new List<InvoiceComputation> { Invoice(October, [], []) };
        var late = Managed(new DateOnly(2026, 10, 15), 31m, 10); // 17 of 31 days of October at 10 × 31

        var november = Invoice(November, [late], issued);

        november.Lines.Select(l => (l.Kind, l.Amount, l.FirstDay, l.LastDay)).ShouldBe([
            (LineKind.RecurringFee, 310.00m, new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30)),
            (LineKind.Adjustment, 170.00m, new DateOnly(2026, 10, 15), new DateOnly(2026, 10, 31))]);
        november.Lines[1].Description.ShouldContain("17 of 31 days (2026-10-15 to 2026-10-31), in 2026-10, invoiced before");
        Invoice(November, [late], [.. issued, november]).Lines.ShouldBeEmpty("once issued, the adjustment is never billed again");
    }

    [Fact]
    public void AMonthNotInvoicedYet_IsLeftToItsOwnRun()
    {
        var contract = Managed(new DateOnly(2026, 10, 15), 31m, 10);

        var november = InvoiceCalculation.Compute(new BillingInputs(November, "EUR", 0m, [contract], [], [], new Dictionary<Guid, int>(), []));

        november.Lines.Select(l => l.Kind).ShouldBe([LineKind.RecurringFee]);
    }

    [Fact]
    public void OverSeveralContractsAndLateChanges_EachFeeDayIsBilledOnce()
    {
        var a = Managed(new DateOnly(2026, 10, 1), 30m, 10);
        var b = Managed(new DateOnly(2026, 9, 20), 12m, 3);
        var issued = new List<InvoiceComputation> { Invoice(October, [a, b], []) };

        // After October is issued: a contract from 10 October, 12 users on A from 20 October, B ends on 25 October.
        var c = Managed(new DateOnly(2026, 10, 10), 45m, 2);
        a.ChangeQuantity(new DateOnly(2026, 10, 20), 12, Now).ShouldBeNull();
        b.End(new DateOnly(2026, 10, 25), Now).Error.ShouldBeNull();
        issued.Add(Invoice(November, [a, b, c], issued));

        // After November is issued: A back to 11 users from 5 November, C to 4 from 28 October.
        a.ChangeQuantity(new DateOnly(2026, 11, 5), 11, Now).ShouldBeNull();
        c.ChangeQuantity(new DateOnly(2026, 10, 28), 4, Now).ShouldBeNull();
        issued.Add(Invoice(December, [a, b, c], issued));

        var billed = issued.SelectMany(i => i.Lines).Select(FeeDays.Of).OfType<FeeDays>().ToList();
        foreach (var contract in new[] { a, b, c })
        {
            foreach (var month in new[] { October, November, December })
            {
                var owed = InvoiceMath.FeeUnits(contract.Terms, month);
                for (var day = month.Start; day < month.End; day = day.AddDays(1))
                {
                    billed.Where(f => f.ContractId == contract.Id && f.First <= day && day <= f.Last).Sum(f => f.Units)
                        .ShouldBe(owed.GetValueOrDefault(day), $"{contract.Name} {contract.Id} on {day:yyyy-MM-dd}");
                }
            }
        }

        var december = issued[2];
        december.Lines.Where(l => l.Kind == LineKind.Adjustment).Select(l => (l.ContractId, l.FirstDay, l.LastDay, l.Units)).ShouldBe([
            (c.Id, new DateOnly(2026, 10, 28), new DateOnly(2026, 10, 31), 2m),
            (a.Id, new DateOnly(2026, 11, 5), new DateOnly(2026, 11, 30), -1m),
            (c.Id, new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), 2m)], ignoreOrder: true);
        issued[1].Lines.Where(l => l.Kind == LineKind.Adjustment && l.ContractId == b.Id).Single().Amount
            .ShouldBe(-6.97m, "six days of 3 × 12 given back: 36 × 6 / 31");
    }
}
