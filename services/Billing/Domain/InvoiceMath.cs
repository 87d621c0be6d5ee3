using System.Text.Json.Serialization;

namespace Msp.Billing.Domain;

/// <summary>A calendar month, the unit of invoicing.</summary>
public readonly record struct BillingPeriod(int Year, int Month)
{
    public DateOnly Start => new(Year, Month, 1);

    /// <summary>The first day after the period.</summary>
    public DateOnly End => Start.AddMonths(1);

    public int Days => DateTime.DaysInMonth(Year, Month);

    public override string ToString() => $"{Year:0000}-{Month:00}";

    public const string Format = "Period is a month as YYYY-MM, from 2000-01 to 2999-12.";

    /// <summary>Reads <c>YYYY-MM</c>, from 2000-01 to 2999-12.</summary>
    public static bool TryParse(string? text, out BillingPeriod period)
    {
        period = default;
        if (text is not { Length: 7 } || text[4] != '-' || !int.TryParse(text.AsSpan(0, 4), System.Globalization.NumberStyles.None, null, out var year)
            || !int.TryParse(text.AsSpan(5, 2), System.Globalization.NumberStyles.None, null, out var month) || year is < 2000 or > 2999 || month is < 1 or > 12)
        {
            return false;
        }

        period = new BillingPeriod(year, month);
        return true;
    }

    /// <summary>The month before the one <paramref name="day"/> is in.</summary>
    public static BillingPeriod Before(DateOnly day) => new(day.AddMonths(-1).Year, day.AddMonths(-1).Month);

    public bool Contains(DateOnly day) => day >= Start && day < End;
}

[JsonConverter(typeof(JsonStringEnumConverter<LineKind>))]
public enum LineKind
{
    RecurringFee,
    BlockPurchase,
    HoursDrawn,
    Overage,
    TimeAndMaterials,

    /// <summary>Billable time a contract's fee already covers, or that no contract covers: on the invoice, at no charge,
    /// so that every minute can be found.</summary>
    IncludedTime,
    SlaCredit,
    Adjustment,
}

/// <summary>One line of an invoice, already rounded. Credits are negative. <see cref="Minutes"/> is the billable time
/// the line accounts for (so every minute of a period can be found on exactly one line); <see cref="ContractId"/> is the
/// contract it bills under. <see cref="FirstDay"/>, <see cref="LastDay"/> and <see cref="Units"/> are the fee-days a recurring-fee line (or a fee
/// adjustment) bills: so every fee-day of every contract can be found on exactly one line.</summary>
public sealed record InvoiceLine(
    LineKind Kind, string Description, decimal Quantity, decimal UnitPrice, decimal Amount, int Minutes = 0, string? WorkType = null, Guid? ContractId = null,
    DateOnly? FirstDay = null, DateOnly? LastDay = null, decimal? Units = null);

/// <summary>Minutes of one time entry taken from one block (or, with no block, beyond the blocks: overage).</summary>
public sealed record BlockDraw(Guid EntryId, Guid? BlockId, int Minutes);

/// <summary>Days in a row of one month at the same units of a recurring fee, <see cref="First"/> to <see cref="Last"/>
/// inclusive.</summary>
public sealed record FeeStretch(DateOnly First, DateOnly Last, decimal Units)
{
    public int Days => Last.DayNumber - First.DayNumber + 1;
}

/// <summary>Fee-days an issued invoice billed for a contract: the units billed for each day from <see cref="First"/> to
/// <see cref="Last"/>.</summary>
public sealed record FeeDays(Guid ContractId, DateOnly First, DateOnly Last, decimal Units)
{
    /// <summary>The fee-days an invoice line bills, when it bills any.</summary>
    public static FeeDays? Of(InvoiceLine line) =>
        line is { ContractId: { } contract, FirstDay: { } first, LastDay: { } last, Units: { } units } ? new FeeDays(contract, first, last, units) : null;
}

/// <summary>A quantity (users, devices, or 1 for a flat fee) from a date on, until the next change.</summary>
public sealed record QuantityChange(DateOnly EffectiveFrom, decimal Quantity);

/// <summary>A monthly fee: price per unit per month, and the quantities over time.</summary>
public sealed record RecurringFee(string Unit, decimal MonthlyUnitPrice, IReadOnlyList<QuantityChange> Quantities);

/// <summary>Prepaid hours bought for a price; hours are drawn from blocks in the order they were bought.</summary>
public sealed record HourBlock(Guid Id, DateOnly PurchasedOn, decimal Hours, decimal Price, DateOnly? ExpiresOn)
{
    public bool ValidOn(DateOnly day) => day >= PurchasedOn && (ExpiresOn is null || day <= ExpiresOn);

    public int Minutes => (int)(Hours * 60);
}

/// <summary>Billable time to invoice: one time entry (or the change of one), in the order it was logged.</summary>
public sealed record BillableTime(Guid EntryId, DateOnly WorkDate, long Order, int Minutes, string WorkType);

/// <summary>A credit per SLA breach, as a percentage of the period's recurring fee, capped at a percentage per period.</summary>
public sealed record SlaCreditRule(decimal PercentPerBreach, decimal CapPercent);

/// <summary>What one contract sells, as the invoice arithmetic needs it.</summary>
public sealed record ContractTerms(
    DateOnly StartsOn,
    DateOnly? EndsOn,
    RecurringFee? Fee,
    IReadOnlyList<HourBlock> Blocks,
    decimal? OverageRate,
    IReadOnlyDictionary<string, decimal> Rates,
    decimal? DefaultRate,
    SlaCreditRule? Credit)
{
    public bool CoversDay(DateOnly day) => day >= StartsOn && (EndsOn is null || day <= EndsOn);

    /// <summary>The hourly rate of a work type: its own, or the default.</summary>
    public decimal RateFor(string workType) => Rates.TryGetValue(workType, out var rate) ? rate : DefaultRate ?? 0;
}

/// <summary>The invoice arithmetic of one contract over one period, as pure functions: recurring fees prorated by days,
/// blocks bought, hours drawn from blocks in work-date order with the rest as overage, time and materials per work type,
/// SLA credits capped per period. Each line is rounded on its own.</summary>
public static class InvoiceMath
{
    /// <summary>The recurring fee's lines: one per stretch of days at one quantity, prorated by the days of the month
    /// the contract covers.</summary>
    public static IEnumerable<InvoiceLine> RecurringLines(ContractTerms terms, BillingPeriod period, string currency) =>
        terms.Fee is { } fee
            ? Stretches(FeeUnits(terms, period), period).Select(s => FeeLine(LineKind.RecurringFee, fee, period, s, currency))
            : [];

    /// <summary>The units of the recurring fee in effect on each day of <paramref name="period"/> the contract covers (a
    /// day at 0 units is left out): the fee-days the contract owes for the month.</summary>
    public static Dictionary<DateOnly, decimal> FeeUnits(ContractTerms terms, BillingPeriod period)
    {
        var units = new Dictionary<DateOnly, decimal>();
        if (terms.Fee is not { } fee)
        {
            return units;
        }

        var changes = fee.Quantities.OrderBy(q => q.EffectiveFrom).ToList();
        for (var day = period.Start; day < period.End; day = day.AddDays(1))
        {
            if (terms.CoversDay(day) && changes.LastOrDefault(q => q.EffectiveFrom <= day) is { Quantity: not 0 } change)
            {
                units[day] = change.Quantity;
            }
        }

        return units;
    }

    /// <summary>What is owed of the fee in the month and not billed yet: the units owed each day less the units issued
    /// invoices billed for it (negative when they billed more, after a back-dated reduction or end).</summary>
    public static Dictionary<DateOnly, decimal> Unbilled(IReadOnlyDictionary<DateOnly, decimal> owed, IEnumerable<FeeDays> billed, BillingPeriod period)
    {
        var left = new Dictionary<DateOnly, decimal>(owed);
        foreach (var stretch in billed)
        {
            for (var day = Max(stretch.First, period.Start); day <= stretch.Last && day < period.End; day = day.AddDays(1))
            {
                left[day] = left.GetValueOrDefault(day) - stretch.Units;
            }
        }

        return left.Where(d => d.Value != 0).ToDictionary();
    }

    /// <summary>Consecutive days at the same number of units, in order.</summary>
    public static IEnumerable<FeeStretch> Stretches(IReadOnlyDictionary<DateOnly, decimal> unitsByDay, BillingPeriod period)
    {
        FeeStretch? open = null;
        for (var day = period.Start; day < period.End; day = day.AddDays(1))
        {
            var units = unitsByDay.GetValueOrDefault(day);
            if (open is { } o && units == o.Units && units != 0)
            {
                open = o with { Last = day };
                continue;
            }

            if (open is not null)
            {
                yield return open;
            }

            open = units == 0 ? null : new FeeStretch(day, day, units);
        }

        if (open is not null)
        {
            yield return open;
        }
    }

    /// <summary>The line of a stretch of fee-days: the monthly price × units × days / days of the month, rounded. As an
    /// adjustment it bills days of a month invoiced before (a contract or a quantity change recorded late).</summary>
    public static InvoiceLine FeeLine(LineKind kind, RecurringFee fee, BillingPeriod month, FeeStretch stretch, string currency)
    {
        var days = stretch.Days;
        var amount = fee.MonthlyUnitPrice * stretch.Units * days / month.Days;
        var what = days == month.Days
            ? $"{fee.Unit}: {stretch.Units:0.##} × {fee.MonthlyUnitPrice:0.00####} for {month}"
            : $"{fee.Unit}: {stretch.Units:0.##} × {fee.MonthlyUnitPrice:0.00####} for {days} of {month.Days} days ({stretch.First:yyyy-MM-dd} to {stretch.Last:yyyy-MM-dd})";
        var description = kind == LineKind.Adjustment
            ? $"Adjustment: {what}, in {month}, invoiced before"
            : what;
        return new InvoiceLine(kind, description, Math.Round(stretch.Units * days / month.Days, 4, MidpointRounding.AwayFromZero), fee.MonthlyUnitPrice,
            Currencies.Round(amount, currency), FirstDay: stretch.First, LastDay: stretch.Last, Units: stretch.Units);
    }

    /// <summary>Blocks bought within the period, billed at their price.</summary>
    public static IEnumerable<InvoiceLine> BlockPurchaseLines(ContractTerms terms, BillingPeriod period, string currency) =>
        terms.Blocks.Where(b => b.PurchasedOn >= period.Start && b.PurchasedOn < period.End).OrderBy(b => b.PurchasedOn).Select(b =>
            new InvoiceLine(LineKind.BlockPurchase, $"Block of {b.Hours:0.##} hours bought {b.PurchasedOn:yyyy-MM-dd}", 1, b.Price, Currencies.Round(b.Price, currency)));

    /// <summary>Draws the time from the blocks, in work-date order then in the order it was logged, from the oldest block
    /// valid on the work date that has hours left; what no block covers is overage. <paramref name="drawnBefore"/> is what
    /// each block gave earlier (minutes) and is updated.</summary>
    public static IEnumerable<InvoiceLine> BlockLines(
        ContractTerms terms, IEnumerable<BillableTime> time, Dictionary<Guid, int> drawnBefore, string currency) =>
        BlockLines(terms, Draw(terms, time, drawnBefore), drawnBefore, currency);

    /// <summary>Takes each entry's minutes from the oldest block valid on its work date that has minutes left, entries
    /// in work-date order then in the order they were logged; what no block covers is a draw without a block (overage).
    /// <paramref name="drawnBefore"/> holds the minutes each block gave earlier and is updated.</summary>
    public static List<BlockDraw> Draw(ContractTerms terms, IEnumerable<BillableTime> time, Dictionary<Guid, int> drawnBefore)
    {
        var draws = new List<BlockDraw>();
        foreach (var entry in time.OrderBy(t => t.WorkDate).ThenBy(t => t.Order))
        {
            var left = entry.Minutes;
            foreach (var block in terms.Blocks.Where(b => b.ValidOn(entry.WorkDate)).OrderBy(b => b.PurchasedOn).ThenBy(b => b.Id))
            {
                var take = Math.Min(block.Minutes - drawnBefore.GetValueOrDefault(block.Id), left);
                if (take <= 0)
                {
                    continue;
                }

                drawnBefore[block.Id] = drawnBefore.GetValueOrDefault(block.Id) + take;
                draws.Add(new BlockDraw(entry.EntryId, block.Id, take));
                left -= take;
                if (left == 0)
                {
                    break;
                }
            }

            if (left > 0)
            {
                draws.Add(new BlockDraw(entry.EntryId, null, left));
            }
        }

        return draws;
    }

    /// <summary>The lines of some draws: one per block, with the hours it has left after <paramref name="drawnAfter"/>,
    /// and one for the overage at the contract's overage rate.</summary>
    public static IEnumerable<InvoiceLine> BlockLines(ContractTerms terms, IReadOnlyList<BlockDraw> draws, IReadOnlyDictionary<Guid, int> drawnAfter, string currency)
    {
        foreach (var block in terms.Blocks.OrderBy(b => b.PurchasedOn).ThenBy(b => b.Id))
        {
            var minutes = draws.Where(d => d.BlockId == block.Id).Sum(d => d.Minutes);
            if (minutes != 0)
            {
                yield return new InvoiceLine(LineKind.HoursDrawn,
                    $"{Hours(minutes)} h drawn from the block bought {block.PurchasedOn:yyyy-MM-dd} ({Hours(block.Minutes - drawnAfter.GetValueOrDefault(block.Id))} h left)",
                    Hours(minutes), 0, 0, minutes);
            }
        }

        var overage = draws.Where(d => d.BlockId is null).Sum(d => d.Minutes);
        if (overage != 0)
        {
            var rate = terms.OverageRate ?? terms.DefaultRate ?? 0;
            yield return new InvoiceLine(LineKind.Overage, $"{Hours(overage)} h beyond the prepaid hours at {rate:0.00##} an hour",
                Hours(overage), rate, Currencies.Round(rate * overage / 60, currency), overage);
        }
    }

    /// <summary>Time and materials: one line per work type, at its rate or the default rate.</summary>
    public static IEnumerable<InvoiceLine> TimeAndMaterialsLines(ContractTerms terms, IEnumerable<BillableTime> time, string currency) =>
        time.GroupBy(t => t.WorkType).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var minutes = g.Sum(t => t.Minutes);
            var rate = terms.RateFor(g.Key);
            return new InvoiceLine(LineKind.TimeAndMaterials, $"{g.Key}: {Hours(minutes)} h at {rate:0.00##} an hour",
                Hours(minutes), rate, Currencies.Round(rate * minutes / 60, currency), minutes, g.Key);
        });

    /// <summary>The SLA credit for <paramref name="breaches"/> breaches: a percentage of the period's recurring fee per
    /// breach, capped per period; negative.</summary>
    public static InvoiceLine? CreditLine(ContractTerms terms, IReadOnlyList<InvoiceLine> recurring, int breaches, string currency)
    {
        if (terms.Credit is not { } rule || breaches == 0)
        {
            return null;
        }

        var fee = recurring.Where(l => l.Kind == LineKind.RecurringFee).Sum(l => l.Amount);
        var percent = Math.Min(rule.PercentPerBreach * breaches, rule.CapPercent);
        var capped = rule.PercentPerBreach * breaches > rule.CapPercent ? $", capped at {rule.CapPercent:0.##} %" : "";
        return new InvoiceLine(LineKind.SlaCredit,
            $"SLA credit: {breaches} breach{(breaches == 1 ? "" : "es")} × {rule.PercentPerBreach:0.##} % of {fee:0.00}{capped}",
            1, -Currencies.Round(fee * percent / 100, currency), -Currencies.Round(fee * percent / 100, currency));
    }

    /// <summary>The tax on the taxable subtotal (every line is taxable, credits reduce it), rounded once.</summary>
    public static decimal Tax(IEnumerable<InvoiceLine> lines, decimal taxRatePercent, string currency) =>
        Currencies.Round(lines.Sum(l => l.Amount) * taxRatePercent / 100, currency);

    public static decimal Hours(int minutes) => Math.Round(minutes / 60m, 2, MidpointRounding.AwayFromZero);

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
