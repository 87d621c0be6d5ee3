using Msp.Billing.Domain;

namespace Msp.Billing.Tests.Domain;

/// <summary>One tenant's invoice composed from its contracts, time and breaches, and billed again as adjustments when
/// time changes after an issued invoice.</summary>
public sealed class InvoiceCalculationTests
{
    private static readonly BillingPeriod October = new(2026, 10);
    private static readonly BillingPeriod November = new(2026, 11);
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Tenant = Guid.CreateVersion7();

    private static Contract Block(decimal hours = 10, decimal overage = 120m, SlaCreditRule? credit = null, RecurringFee? fee = null) =>
        Contract.Activate(Tenant, "Block", ContractKind.BlockHours, new DateOnly(2026, 10, 1), null, null, fee,
            [new HourBlock(Guid.CreateVersion7(), new DateOnly(2026, 10, 1), hours, 900m, null)], overage, null, null, credit, Now).Contract;

    private static Contract Hourly(DateOnly? startsOn = null) =>
        Contract.Activate(Tenant, "T&M", ContractKind.TimeAndMaterials, startsOn ?? new DateOnly(2026, 10, 1), null, null, null, [], null,
            new Dictionary<string, decimal> { ["OnSite"] = 150m }, 90m, null, Now).Contract;

    private static TimeToBill Time(int month, int day, int minutes, string workType = "Remote", int loggedMinute = 0) =>
        new(Guid.CreateVersion7(), "ACME-1", new DateOnly(2026, month, day), Now.AddMinutes(loggedMinute), minutes, workType);

    private static InvoiceComputation Compute(BillingPeriod period, Contract[] contracts, TimeToBill[] time,
        Allocation[]? billed = null, Dictionary<Guid, int>? drawn = null, DateOnly[]? breaches = null) =>
        InvoiceCalculation.Compute(new BillingInputs(period, "EUR", 20m, contracts, time, billed ?? [], drawn ?? [], breaches ?? []));

    private static int TimeMinutes(InvoiceComputation c) => c.Lines.Sum(l => l.Minutes);

    [Fact]
    public void BlockHoursWithAFeeOverageCreditAndTax_TotalIsTheSumOfRoundedLinesPlusTax()
    {
        var contract = Block(hours: 10, overage: 120m, credit: new SlaCreditRule(5, 20), fee: new RecurringFee("Flat", 500m, [new(new DateOnly(2026, 10, 1), 1)]));
        var time = new[] { Time(11, 3, 300), Time(11, 10, 240), Time(11, 20, 100) }; // 640 minutes: 600 from the block, 40 beyond

        var invoice = Compute(November, [contract], time, breaches: [new DateOnly(2026, 11, 12)]);

        invoice.Lines.Select(l => (l.Kind, l.Amount)).ShouldBe([
            (LineKind.RecurringFee, 500.00m), (LineKind.HoursDrawn, 0m), (LineKind.Overage, 80.00m), (LineKind.SlaCredit, -25.00m)]);
        invoice.Lines.Single(l => l.Kind == LineKind.HoursDrawn).Minutes.ShouldBe(600);
        invoice.Subtotal.ShouldBe(555.00m);
        invoice.Tax.ShouldBe(111.00m);
        invoice.Total.ShouldBe(666.00m);
        TimeMinutes(invoice).ShouldBe(640, "every minute is on a line");
        invoice.Allocations.Sum(a => a.Minutes).ShouldBe(640);
    }

    [Fact]
    public void TimeIsBilledUnderTheContractCoveringItsDay_BlockHoursBeforeTimeAndMaterials()
    {
        var block = Block(hours: 1);
        var hourly = Hourly();
        var time = new[] { Time(11, 2, 30), Time(11, 3, 60, "OnSite"), Time(11, 4, 45) };

        var invoice = Compute(November, [hourly, block], time);

        invoice.Lines.Where(l => l.Minutes != 0).Select(l => (l.Kind, l.Minutes, l.Amount, l.ContractId))
            .ShouldBe([(LineKind.HoursDrawn, 60, 0m, (Guid?)block.Id), (LineKind.Overage, 75, 150.00m, block.Id)]);
    }

    [Fact]
    public void TimeNoContractCovers_IsListedAtNoCharge_SoThatNoMinuteIsLost()
    {
        var invoice = Compute(November, [Hourly(startsOn: new DateOnly(2026, 11, 15))], [Time(11, 2, 30), Time(11, 20, 90, "OnSite")]);

        invoice.Lines.Select(l => (l.Kind, l.Minutes, l.Amount)).ShouldBe([(LineKind.TimeAndMaterials, 90, 225.00m), (LineKind.IncludedTime, 30, 0m)]);
    }

    [Fact]
    public void TimeChangedAfterItsInvoiceWasIssued_IsBilledAsTheDifference()
    {
        var hourly = Hourly();
        var entry = Time(10, 20, 90, "OnSite");
        var october = Compute(October, [hourly], [entry]);
        october.Lines.Single().Amount.ShouldBe(225.00m);

        var longer = Compute(November, [hourly], [entry with { Minutes = 120 }], billed: [.. october.Allocations]);
        var shorter = Compute(November, [hourly], [entry with { Minutes = 30 }], billed: [.. october.Allocations]);
        var deleted = Compute(November, [hourly], [entry with { Minutes = 0 }], billed: [.. october.Allocations]);
        var same = Compute(November, [hourly], [entry], billed: [.. october.Allocations]);

        longer.Lines.Select(l => (l.Kind, l.Minutes, l.Amount)).ShouldBe([(LineKind.Adjustment, 30, 75.00m)]);
        shorter.Lines.Select(l => (l.Kind, l.Minutes, l.Amount)).ShouldBe([(LineKind.Adjustment, -60, -150.00m)]);
        deleted.Lines.Single().Amount.ShouldBe(-225.00m);
        same.IsEmpty.ShouldBeTrue();
        (october.Allocations.Sum(a => a.Minutes) + longer.Allocations.Sum(a => a.Minutes)).ShouldBe(120);
    }

    [Fact]
    public void LessTimeOnABlock_GivesBackTheOverageFirst_ThenTheBlockHours()
    {
        var contract = Block(hours: 1, overage: 100m);
        var entry = Time(10, 5, 100); // 60 from the block, 40 overage
        var october = Compute(October, [contract], [entry]);
        var drawn = new Dictionary<Guid, int> { [contract.Blocks[0].Id] = 60 };

        var november = Compute(November, [contract], [entry with { Minutes = 30 }], billed: [.. october.Allocations], drawn: drawn);

        november.Lines.Select(l => (l.Kind, l.Minutes, l.Amount)).ShouldBe([(LineKind.Adjustment, -40, -66.67m), (LineKind.Adjustment, -30, 0m)]);
        november.Allocations.Where(a => a.BlockId is not null).Sum(a => a.Minutes).ShouldBe(-30, "30 minutes go back to the block");
    }

    [Fact]
    public void SlaCredits_GoToTheContractWithACreditRule_CappedPerPeriod()
    {
        var fee = new RecurringFee("PerUser", 40m, [new(new DateOnly(2026, 10, 1), 10)]);
        var managed = Contract.Activate(Tenant, "Managed", ContractKind.ManagedServices, new DateOnly(2026, 10, 1), null, null, fee, [], null, null, null,
            new SlaCreditRule(4, 10), Now).Contract;

        var invoice = Compute(November, [managed], [Time(11, 3, 45)], breaches: [new(2026, 11, 1), new(2026, 11, 2), new(2026, 11, 3)]);

        invoice.Lines.Select(l => (l.Kind, l.Amount)).ShouldBe([(LineKind.RecurringFee, 400.00m), (LineKind.IncludedTime, 0m), (LineKind.SlaCredit, -40.00m)]);
        invoice.Lines.Single(l => l.Kind == LineKind.SlaCredit).Description.ShouldContain("capped at 10 %");
    }
}
