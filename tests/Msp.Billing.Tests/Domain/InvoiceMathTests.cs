using Msp.Billing.Domain;

namespace Msp.Billing.Tests.Domain;

/// <summary>The invoice arithmetic, case by case, on plain values.</summary>
public sealed class InvoiceMathTests
{
    private static readonly BillingPeriod November = new(2026, 11); // 30 days
    private static readonly BillingPeriod December = new(2026, 12); // 31 days

    private static ContractTerms Terms(
        DateOnly? startsOn = null, RecurringFee? fee = null, HourBlock[]? blocks = null, decimal? overage = null,
        Dictionary<string, decimal>? rates = null, decimal? defaultRate = null, SlaCreditRule? credit = null, DateOnly? endsOn = null) =>
        new(startsOn ?? new DateOnly(2026, 1, 1), endsOn, fee, blocks ?? [], overage, rates ?? [], defaultRate, credit);

    private static RecurringFee PerUser(decimal price, params (int Day, int Month, decimal Quantity)[] quantities) =>
        new("Managed user", price, [.. quantities.Select(q => new QuantityChange(new DateOnly(2026, q.Month, q.Day), q.Quantity))]);

    private static BillableTime Time(int day, int minutes, string workType = "Remote", int order = 0, int month = 11) =>
        new(Guid.CreateVersion7(), new DateOnly(2026, month, day), order, minutes, workType);

    public static TheoryData<string, ContractTerms, BillingPeriod, decimal[]> RecurringCases => new()
    {
        // case, terms, period, the amounts of the recurring lines
        { "a whole month", Terms(fee: PerUser(30m, (1, 1, 10))), November, [300.00m] },
        { "started on the 17th of a 30-day month: 14 of 30 days", Terms(startsOn: new DateOnly(2026, 11, 17), fee: PerUser(30m, (17, 11, 10))), November, [140.00m] },
        { "ten users, twelve from the 16th of a 31-day month", Terms(fee: PerUser(31m, (1, 1, 10), (16, 12, 12))), December, [150.00m, 192.00m] },
        { "ended on the 10th: 10 of 30 days", Terms(fee: PerUser(45m, (1, 1, 1)), endsOn: new DateOnly(2026, 11, 10)), November, [15.00m] },
        { "a flat fee of 100 for 10 of 30 days is a third, rounded", Terms(startsOn: new DateOnly(2026, 11, 21), fee: PerUser(100m, (1, 1, 1))), November, [33.33m] },
        { "a change before the period counts from the first day", Terms(fee: PerUser(20m, (1, 1, 5), (15, 10, 7))), November, [140.00m] },
        { "a contract starting after the period bills nothing", Terms(startsOn: new DateOnly(2026, 12, 1), fee: PerUser(20m, (1, 12, 5))), November, [] },
    };

    [Theory]
    [MemberData(nameof(RecurringCases))]
    public void RecurringFees_AreProratedByDays(string because, ContractTerms terms, BillingPeriod period, decimal[] amounts) =>
        InvoiceMath.RecurringLines(terms, period, "EUR").Select(l => l.Amount).ShouldBe(amounts, because);

    [Fact]
    public void BlockHoursExhaustedMidPeriod_LeaveTheRestAsOverage()
    {
        var block = new HourBlock(Guid.CreateVersion7(), new DateOnly(2026, 10, 1), 10, 800m, null);
        var drawn = new Dictionary<Guid, int> { [block.Id] = 8 * 60 }; // 8 of the 10 hours went in October
        var terms = Terms(blocks: [block], overage: 95m);

        var lines = InvoiceMath.BlockLines(terms, [Time(20, 120), Time(3, 90), Time(12, 90)], drawn, "EUR").ToList();

        lines.Select(l => (l.Kind, l.Minutes, l.Amount)).ShouldBe([(LineKind.HoursDrawn, 120, 0m), (LineKind.Overage, 180, 285.00m)]);
        lines[0].Description.ShouldContain("0 h left");
        drawn[block.Id].ShouldBe(600);
    }

    [Fact]
    public void BlockHours_AreDrawnInWorkDateOrder_FromTheOldestValidBlock()
    {
        var old = new HourBlock(Guid.CreateVersion7(), new DateOnly(2026, 9, 1), 2, 160m, new DateOnly(2026, 11, 10));
        var fresh = new HourBlock(Guid.CreateVersion7(), new DateOnly(2026, 11, 1), 5, 400m, null);
        var drawn = new Dictionary<Guid, int>();
        var terms = Terms(blocks: [fresh, old], overage: 95m);

        var lines = InvoiceMath.BlockLines(terms, [Time(15, 60, order: 1), Time(5, 90, order: 2), Time(5, 60, order: 1)], drawn, "EUR").ToList();

        // The 5th: 60 then 90 minutes (logged in that order) from the old block's 120, the last 30 from the fresh one;
        // the 15th: the old block has expired, so the fresh one.
        drawn[old.Id].ShouldBe(120);
        drawn[fresh.Id].ShouldBe(90);
        lines.Where(l => l.Kind == LineKind.Overage).ShouldBeEmpty();
        lines.Sum(l => l.Minutes).ShouldBe(210);
    }

    [Fact]
    public void ABlockBoughtInThePeriod_IsBilledAtItsPrice() =>
        InvoiceMath.BlockPurchaseLines(Terms(blocks: [new HourBlock(Guid.CreateVersion7(), new DateOnly(2026, 11, 3), 20, 1500m, null)]), November, "EUR")
            .Single().Amount.ShouldBe(1500.00m);

    [Fact]
    public void TimeAndMaterials_BillsEachWorkTypeAtItsRate_AndTheRestAtTheDefault()
    {
        var terms = Terms(rates: new() { ["Remote"] = 90m, ["OnSite"] = 120m }, defaultRate: 80m);

        var lines = InvoiceMath.TimeAndMaterialsLines(terms, [Time(2, 90, "Remote"), Time(3, 45, "OnSite"), Time(4, 120, "Remote"), Time(5, 20, "Travel")], "EUR").ToList();

        lines.Select(l => (l.WorkType, l.Minutes, l.Amount)).ShouldBe([("OnSite", 45, 90.00m), ("Remote", 210, 315.00m), ("Travel", 20, 26.67m)]);
    }

    public static TheoryData<string, int, decimal> Credits => new()
    {
        // case, breaches, credit on a fee of 1,000 at 5 % per breach capped at 15 %
        { "one breach", 1, -50.00m },
        { "three breaches reach the cap exactly", 3, -150.00m },
        { "five breaches are capped", 5, -150.00m },
    };

    [Theory]
    [MemberData(nameof(Credits))]
    public void SlaCredits_ArePerBreach_AndCappedPerPeriod(string because, int breaches, decimal credit)
    {
        var terms = Terms(fee: PerUser(100m, (1, 1, 10)), credit: new SlaCreditRule(5m, 15m));
        var recurring = InvoiceMath.RecurringLines(terms, November, "EUR").ToList();

        var line = InvoiceMath.CreditLine(terms, recurring, breaches, "EUR")!;

        line.Amount.ShouldBe(credit, because);
        line.Description.Contains("capped").ShouldBe(breaches * 5 > 15, because);
    }

    public static TheoryData<string, decimal, string, decimal> Roundings => new()
    {
        { "a third of a cent rounds down", 100m / 3, "EUR", 33.33m },
        { "two thirds round up", 200m / 3, "EUR", 66.67m },
        { "half a cent rounds away from zero", 0.125m, "EUR", 0.13m },
        { "and so does a negative half", -0.125m, "EUR", -0.13m },
        { "yen have no minor unit", 1000m / 3, "JPY", 333m },
        { "half a yen rounds away from zero", 2.5m, "JPY", 3m },
        { "dinars have three decimals", 10m / 3, "KWD", 3.333m },
    };

    [Theory]
    [MemberData(nameof(Roundings))]
    public void Amounts_AreRoundedToTheMinorUnit_HalfAwayFromZero(string because, decimal amount, string currency, decimal rounded) =>
        Currencies.Round(amount, currency).ShouldBe(rounded, because);

    [Fact]
    public void ThreeThirds_SumToTheirRoundedLines_AndTaxIsOnTheRoundedSubtotal()
    {
        var third = Terms(startsOn: new DateOnly(2026, 11, 21), fee: PerUser(100m, (1, 1, 1)));
        var lines = Enumerable.Range(0, 3).SelectMany(_ => InvoiceMath.RecurringLines(third, November, "EUR")).ToList();

        var subtotal = lines.Sum(l => l.Amount);
        var tax = InvoiceMath.Tax(lines, 20m, "EUR");

        subtotal.ShouldBe(99.99m, "three rounded thirds, not a rounded whole");
        tax.ShouldBe(20.00m, "20 % of 99.99 is 19.998");
        (subtotal + tax).ShouldBe(119.99m);
    }
}
