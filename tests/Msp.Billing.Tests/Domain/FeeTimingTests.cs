using Msp.Billing.Domain;

namespace Msp.Billing.Tests.Domain;

/// <summary>Fees in arrears or in advance (issue 21): in arrears a month's invoice bills the month's fees and its time; in
/// advance the month's fees and the time of the month before; a month not over bills none of its time.</summary>
public sealed class FeeTimingTests
{
    private static readonly BillingPeriod November = new(2026, 11);
    private static readonly DateTimeOffset Now = new(2026, 10, 1, 9, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, FeeTiming, DateOnly, string, bool> TimeMonths => new()
    {
        // case, timing, today, the time month of November's invoice, whether it has ended
        { "in arrears after November", FeeTiming.Arrears, new DateOnly(2026, 12, 1), "2026-11", true },
        { "in arrears on November's last day", FeeTiming.Arrears, new DateOnly(2026, 11, 30), "2026-11", false },
        { "in advance on the 1st", FeeTiming.Advance, new DateOnly(2026, 11, 1), "2026-10", true },
        { "in advance in October's last days", FeeTiming.Advance, new DateOnly(2026, 10, 25), "2026-10", false },
        { "in advance long after", FeeTiming.Advance, new DateOnly(2027, 3, 1), "2026-10", true },
    };

    [Theory]
    [MemberData(nameof(TimeMonths))]
    public void TheTimeMonth_IsThePeriodInArrears_AndTheMonthBeforeInAdvance(string because, FeeTiming timing, DateOnly today, string month, bool ended)
    {
        var time = TimeMonth.Of(November, timing, today);

        (time.Month.ToString(), time.Ended).ShouldBe((month, ended), because);
    }

    public static TheoryData<string, FeeTiming, DateOnly, (LineKind, int, decimal)[], decimal> Invoices => new()
    {
        // case, timing, today, November's lines (kind, minutes, amount), total with 20 % tax. The contract: a flat 300 a
        // month from 1 October and time at 90 an hour; 60 minutes worked on 10 October, 30 on 5 November, 15 on 1 December.
        { "in arrears, after November: November's fee and November's time", FeeTiming.Arrears, new DateOnly(2026, 12, 2),
            [(LineKind.RecurringFee, 0, 300m), (LineKind.TimeAndMaterials, 30, 45m)], 414m },
        { "in arrears, during November: the fee, none of November's time", FeeTiming.Arrears, new DateOnly(2026, 11, 21),
            [(LineKind.RecurringFee, 0, 300m)], 360m },
        { "in advance, on 1 November: November's fee and October's time", FeeTiming.Advance, new DateOnly(2026, 11, 1),
            [(LineKind.RecurringFee, 0, 300m), (LineKind.TimeAndMaterials, 60, 90m)], 468m },
        { "in advance, in late October: the fee, none of October's time yet", FeeTiming.Advance, new DateOnly(2026, 10, 25),
            [(LineKind.RecurringFee, 0, 300m)], 360m },
        { "in advance, after November: still October's time, never November's own", FeeTiming.Advance, new DateOnly(2026, 12, 2),
            [(LineKind.RecurringFee, 0, 300m), (LineKind.TimeAndMaterials, 60, 90m)], 468m },
    };

    [Theory]
    [MemberData(nameof(Invoices))]
    public void NovembersInvoice_BillsTheFeesAndTheTimeItsTimingSays(string because, FeeTiming timing, DateOnly today, (LineKind, int, decimal)[] lines, decimal total)
    {
        var contract = Contract.Activate(Guid.CreateVersion7(), "Support", ContractKind.TimeAndMaterials, new DateOnly(2026, 10, 1), null, null,
            new RecurringFee("Flat", 300m, [new QuantityChange(new DateOnly(2026, 10, 1), 1)]), [], null, null, 90m, null, Now).Contract;
        TimeToBill[] time =
        [
            new(Guid.CreateVersion7(), "ACME-1", new DateOnly(2026, 10, 10), Now, 60, "Remote"),
            new(Guid.CreateVersion7(), "ACME-2", new DateOnly(2026, 11, 5), Now, 30, "Remote"),
            new(Guid.CreateVersion7(), "ACME-3", new DateOnly(2026, 12, 1), Now, 15, "Remote"),
        ];
        var month = TimeMonth.Of(November, timing, today);
        // What the run reads: the time month's entries and the ones after it (never earlier ones that were not billed,
        // unless their month's time was invoiced).
        var read = time.Where(t => t.WorkDate >= month.Month.Start).ToList();

        var invoice = InvoiceCalculation.Compute(new BillingInputs(November, "EUR", 20m, [contract], read, [], new Dictionary<Guid, int>(), [])
        {
            TimeMonth = month,
        });

        invoice.Lines.Select(l => (l.Kind, l.Minutes, l.Amount)).ShouldBe(lines, because);
        invoice.Total.ShouldBe(total, because);
        invoice.TimePeriod.ShouldBe(month.Month.ToString());
    }
}
