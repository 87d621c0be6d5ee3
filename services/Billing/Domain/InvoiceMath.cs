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
/// contract it bills under.</summary>
public sealed record InvoiceLine(
    LineKind Kind, string Description, decimal Quantity, decimal UnitPrice, decimal Amount, int Minutes = 0, string? WorkType = null, Guid? ContractId = null);

/// <summary>Minutes of one time entry taken from one block (or, with no block, beyond the blocks: overage).</summary>
public sealed record BlockDraw(Guid EntryId, Guid? BlockId, int Minutes);

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
    public static IEnumerable<InvoiceLine> RecurringLines(ContractTerms terms, BillingPeriod period, string currency)
    {
        if (terms.Fee is not { } fee)
        {
            yield break;
        }

        var changes = fee.Quantities.OrderBy(q => q.EffectiveFrom).ToList();
        var from = Max(terms.StartsOn, period.Start);
        var to = terms.EndsOn is { } ends && ends < period.End.AddDays(-1) ? ends.AddDays(1) : period.End; // exclusive
        for (var i = 0; i < changes.Count; i++)
        {
            var start = Max(from, changes[i].EffectiveFrom);
            var end = i + 1 < changes.Count && changes[i + 1].EffectiveFrom < to ? changes[i + 1].EffectiveFrom : to;
            var days = end.DayNumber - start.DayNumber;
            if (days <= 0 || changes[i].Quantity == 0)
            {
                continue;
            }

            var whole = days == period.Days;
            var quantity = changes[i].Quantity;
            var amount = fee.MonthlyUnitPrice * quantity * days / period.Days;
            var description = whole
                ? $"{fee.Unit}: {quantity:0.##} × {fee.MonthlyUnitPrice:0.00####} for {period}"
                : $"{fee.Unit}: {quantity:0.##} × {fee.MonthlyUnitPrice:0.00####} for {days} of {period.Days} days ({start:yyyy-MM-dd} to {end.AddDays(-1):yyyy-MM-dd})";
            yield return new InvoiceLine(LineKind.RecurringFee, description, Math.Round(quantity * days / period.Days, 4, MidpointRounding.AwayFromZero), fee.MonthlyUnitPrice,
                Currencies.Round(amount, currency));
        }
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
