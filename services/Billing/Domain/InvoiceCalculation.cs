namespace Msp.Billing.Domain;

/// <summary>Minutes of one time entry billed under a contract (none when no contract covers the day), from a block (none
/// for overage or hourly time), at an hourly rate. Negative minutes give back what an earlier invoice billed.</summary>
public sealed record Allocation(Guid EntryId, Guid? ContractId, Guid? BlockId, int Minutes, decimal HourlyRate);

/// <summary>A time entry as an invoice run sees it: <see cref="Minutes"/> is what it bills now (0 once deleted or no
/// longer billable).</summary>
public sealed record TimeToBill(Guid EntryId, string TicketReference, DateOnly WorkDate, DateTimeOffset LoggedAt, int Minutes, string WorkType);

/// <summary>Everything the invoice of one tenant for one period is computed from.</summary>
/// <param name="Time">The period's entries, and the earlier entries to reconsider (those billed before, or logged late for
/// a period already invoiced).</param>
/// <param name="Billed">What issued invoices hold of those entries, in the order it was billed.</param>
/// <param name="DrawnBefore">The minutes each block gave on issued invoices.</param>
/// <param name="Breaches">The days of the period's SLA breaches.</param>
public sealed record BillingInputs(
    BillingPeriod Period,
    string Currency,
    decimal TaxRatePercent,
    IReadOnlyList<Contract> Contracts,
    IReadOnlyList<TimeToBill> Time,
    IReadOnlyList<Allocation> Billed,
    IReadOnlyDictionary<Guid, int> DrawnBefore,
    IReadOnlyList<DateOnly> Breaches)
{
    /// <summary>The month whose time and SLA breaches the invoice bills as new (the period itself unless the account
    /// pays in advance), and whether it has ended: a month still running bills none of its time.</summary>
    public TimeMonth TimeMonth { get; init; } = new(Period, true);

    /// <summary>The fee-days issued invoices billed, of the period and of <see cref="InvoicedMonths"/>.</summary>
    public IReadOnlyList<FeeDays> BilledFees { get; init; } = [];

    /// <summary>The months before the period that have an issued invoice: the fee-days of theirs no issued invoice
    /// billed (a contract or a quantity change recorded after the month was issued) are adjustments on this one.</summary>
    public IReadOnlyList<BillingPeriod> InvoicedMonths { get; init; } = [];
}

/// <summary>An invoice as computed: its rounded lines, the tax on their sum, and which minutes of which entries it bills.</summary>
public sealed record InvoiceComputation(string Currency, decimal TaxRatePercent, IReadOnlyList<InvoiceLine> Lines, IReadOnlyList<Allocation> Allocations, decimal Tax)
{
    /// <summary>The month whose time the invoice bills (<c>YYYY-MM</c>), ended or not: once the invoice is issued, time
    /// of that month not on it is late and goes on the next invoice as an adjustment.</summary>
    public string TimePeriod { get; init; } = "";

    public decimal Subtotal => Lines.Sum(l => l.Amount);

    public decimal Total => Subtotal + Tax;

    public bool IsEmpty => Lines.Count == 0;
}

/// <summary>Composes <see cref="InvoiceMath"/> into the invoice of one tenant for one month. Each minute is billed under
/// the contract covering its work date (block hours first, then time and materials, then a managed service's fee, which
/// includes it); time no contract covers is listed at no charge. An entry billed before and changed since is billed
/// as the difference, an adjustment: more time is drawn and priced like new time, less time gives back the last minutes
/// billed at the price they were billed at.</summary>
public static class InvoiceCalculation
{
    public static InvoiceComputation Compute(BillingInputs input)
    {
        var currency = input.Currency;
        var contracts = input.Contracts.OrderBy(c => c.StartsOn).ThenBy(c => c.Id).ToList();
        var lines = new List<InvoiceLine>();
        var recurring = new Dictionary<Guid, List<InvoiceLine>>();
        foreach (var contract in contracts)
        {
            recurring[contract.Id] = [.. Fees(input, contract, input.Period, LineKind.RecurringFee)];
            lines.AddRange(recurring[contract.Id]);
            lines.AddRange(InvoiceMath.BlockPurchaseLines(contract.Terms, input.Period, currency).Select(l => l with { ContractId = contract.Id }));
        }

        foreach (var month in input.InvoicedMonths.Where(m => m.Start < input.Period.Start).OrderBy(m => m.Start))
        {
            lines.AddRange(contracts.SelectMany(c => Fees(input, c, month, LineKind.Adjustment)));
        }

        var drawn = new Dictionary<Guid, int>(input.DrawnBefore);
        var (allocations, timeLines) = Time(input.Time, input.Billed, input.TimeMonth, currency, contracts, drawn);
        lines.AddRange(timeLines);
        lines.AddRange(Credits(input, contracts, recurring));
        return new InvoiceComputation(currency, input.TaxRatePercent, lines, allocations, InvoiceMath.Tax(lines, input.TaxRatePercent, currency))
        {
            TimePeriod = input.TimeMonth.Month.ToString(),
        };
    }

    /// <summary>The contract's fee-days of <paramref name="month"/> that no issued invoice billed, as lines of
    /// <paramref name="kind"/>: the period's own fee, or an adjustment for a month invoiced before.</summary>
    private static IEnumerable<InvoiceLine> Fees(BillingInputs input, Contract contract, BillingPeriod month, LineKind kind)
    {
        if (contract.Fee is not { } fee)
        {
            return [];
        }

        var unbilled = InvoiceMath.Unbilled(InvoiceMath.FeeUnits(contract.Terms, month), input.BilledFees.Where(f => f.ContractId == contract.Id), month);
        return InvoiceMath.Stretches(unbilled, month).Select(s => InvoiceMath.FeeLine(kind, fee, month, s, input.Currency) with { ContractId = contract.Id });
    }

    /// <summary>The minutes each block has given once all the time known is billed: what issued invoices drew, and what
    /// the next invoices will draw of the time not billed yet.</summary>
    public static Dictionary<Guid, int> DrawnWithPending(IReadOnlyList<Contract> contracts, IReadOnlyList<TimeToBill> time,
        IReadOnlyList<Allocation> billed, IReadOnlyDictionary<Guid, int> drawnBefore)
    {
        var drawn = new Dictionary<Guid, int>(drawnBefore);
        Time(time, billed, window: null, "EUR", [.. contracts.OrderBy(c => c.StartsOn).ThenBy(c => c.Id)], drawn);
        return drawn;
    }

    /// <summary>Bills the time. An entry never billed is new time when its work date lies in the time month
    /// <paramref name="window"/> and that month is over (any date without a window); an adjustment when it lies before
    /// (logged late); left for a later invoice when it lies after, or in the month still running. An entry billed before
    /// and changed since is billed the difference, as an adjustment.</summary>
    private static (List<Allocation>, List<InvoiceLine>) Time(IReadOnlyList<TimeToBill> time, IReadOnlyList<Allocation> billedBefore,
        TimeMonth? window, string currency, List<Contract> contracts, Dictionary<Guid, int> drawn)
    {
        var billed = billedBefore.GroupBy(b => b.EntryId).ToDictionary(g => g.Key, g => g.ToList());
        var fresh = new List<TimeToBill>();
        var more = new List<TimeToBill>();
        var less = new List<(TimeToBill Entry, int Minutes)>();
        foreach (var entry in time.OrderBy(t => t.WorkDate).ThenBy(t => t.LoggedAt).ThenBy(t => t.EntryId))
        {
            var before = billed.GetValueOrDefault(entry.EntryId) ?? [];
            var delta = entry.Minutes - before.Sum(b => b.Minutes);
            if (delta > 0 && before.Count == 0 && window is { } w && entry.WorkDate >= w.Month.Start && !(w.Ended && w.Month.Contains(entry.WorkDate)))
            {
                continue; // not this invoice's time yet
            }

            if (delta > 0 && before.Count == 0 && (window is not { } month || month.Month.Contains(entry.WorkDate)))
            {
                fresh.Add(entry);
            }
            else if (delta > 0)
            {
                more.Add(entry with { Minutes = delta });
            }
            else if (delta < 0)
            {
                less.Add((entry, -delta));
            }
        }

        var allocations = new List<Allocation>();
        var lines = new List<InvoiceLine>();
        foreach (var (entry, minutes) in less)
        {
            foreach (var (contractId, blockId, rate, given) in GiveBack(billed[entry.EntryId], minutes))
            {
                if (blockId is { } block)
                {
                    drawn[block] = drawn.GetValueOrDefault(block) - given;
                }

                allocations.Add(new Allocation(entry.EntryId, contractId, blockId, -given, rate));
                lines.Add(Adjustment(entry, contractId, blockId, -given, rate, currency));
            }
        }

        var adjusting = more.Select(m => m.EntryId).ToHashSet();
        foreach (var group in fresh.Concat(more).GroupBy(t => ContractFor(contracts, t.WorkDate)).OrderBy(g => g.Key is null).ThenBy(g => g.Key?.StartsOn))
        {
            var contract = group.Key;
            var entries = group.ToList();
            var taken = contract?.Kind switch
            {
                ContractKind.BlockHours => InvoiceMath.Draw(contract.Terms,
                        entries.Select(t => new BillableTime(t.EntryId, t.WorkDate, t.LoggedAt.UtcTicks, t.Minutes, t.WorkType)), drawn)
                    .Select(d => new Allocation(d.EntryId, contract.Id, d.BlockId, d.Minutes, d.BlockId is null ? contract.OverageRate ?? contract.DefaultRate ?? 0 : 0))
                    .ToList(),
                ContractKind.TimeAndMaterials => entries.Select(t => new Allocation(t.EntryId, contract.Id, null, t.Minutes, contract.Terms.RateFor(t.WorkType))).ToList(),
                _ => entries.Select(t => new Allocation(t.EntryId, contract?.Id, null, t.Minutes, 0)).ToList(),
            };
            allocations.AddRange(taken);
            var byId = entries.ToDictionary(t => t.EntryId);
            lines.AddRange(Regular(contract, [.. taken.Where(a => !adjusting.Contains(a.EntryId))], byId, drawn, currency));
            lines.AddRange(taken.Where(a => adjusting.Contains(a.EntryId))
                .Select(a => Adjustment(byId[a.EntryId], a.ContractId, a.BlockId, a.Minutes, a.HourlyRate, currency)));
        }

        return (allocations, lines);
    }

    /// <summary>Block hours first, then time and materials, then a managed service; the earliest started first.</summary>
    private static Contract? ContractFor(List<Contract> contracts, DateOnly day) =>
        contracts.Where(c => c.Covers(day)).OrderBy(c => c.Kind switch { ContractKind.BlockHours => 0, ContractKind.TimeAndMaterials => 1, _ => 2 })
            .FirstOrDefault();

    /// <summary>Gives back <paramref name="minutes"/> from what an entry was billed, the last billed first.</summary>
    private static IEnumerable<(Guid? ContractId, Guid? BlockId, decimal Rate, int Minutes)> GiveBack(List<Allocation> billed, int minutes)
    {
        var held = billed.GroupBy(b => (b.ContractId, b.BlockId, b.HourlyRate)).Select(g => (g.Key, Minutes: g.Sum(b => b.Minutes))).Reverse();
        foreach (var (key, had) in held)
        {
            var given = Math.Min(had, minutes);
            if (given > 0)
            {
                minutes -= given;
                yield return (key.ContractId, key.BlockId, key.HourlyRate, given);
            }
        }
    }

    private static IEnumerable<InvoiceLine> Regular(Contract? contract, List<Allocation> taken, Dictionary<Guid, TimeToBill> entries, Dictionary<Guid, int> drawn, string currency)
    {
        if (taken.Count == 0)
        {
            return [];
        }

        var minutes = taken.Sum(a => a.Minutes);
        return contract?.Kind switch
        {
            ContractKind.BlockHours => InvoiceMath.BlockLines(contract.Terms, [.. taken.Select(a => new BlockDraw(a.EntryId, a.BlockId, a.Minutes))], drawn, currency)
                .Select(l => l with { ContractId = contract.Id }),
            ContractKind.TimeAndMaterials => InvoiceMath.TimeAndMaterialsLines(contract.Terms,
                    taken.Select(a => new BillableTime(a.EntryId, entries[a.EntryId].WorkDate, 0, a.Minutes, entries[a.EntryId].WorkType)), currency)
                .Select(l => l with { ContractId = contract.Id }),
            ContractKind.ManagedServices =>
                [new InvoiceLine(LineKind.IncludedTime, $"{InvoiceMath.Hours(minutes)} h worked, included in {contract.Name}", InvoiceMath.Hours(minutes), 0, 0, minutes, null, contract.Id)],
            _ => [new InvoiceLine(LineKind.IncludedTime, $"{InvoiceMath.Hours(minutes)} h worked on days no contract covers, not charged", InvoiceMath.Hours(minutes), 0, 0, minutes)],
        };
    }

    private static InvoiceLine Adjustment(TimeToBill entry, Guid? contractId, Guid? blockId, int minutes, decimal rate, string currency)
    {
        var how = blockId is not null ? "prepaid hours" : rate == 0 ? "no charge" : $"{rate:0.00##} an hour";
        return new InvoiceLine(LineKind.Adjustment,
            $"Adjustment: {(minutes > 0 ? "+" : "")}{minutes} min on {entry.TicketReference}, worked {entry.WorkDate:yyyy-MM-dd} ({how})",
            InvoiceMath.Hours(minutes), rate, Currencies.Round(rate * minutes / 60, currency), minutes, entry.WorkType, contractId);
    }

    /// <summary>Each breach earns the credit of the earliest contract covering its day that has a credit rule.</summary>
    private static IEnumerable<InvoiceLine> Credits(BillingInputs input, List<Contract> contracts, Dictionary<Guid, List<InvoiceLine>> recurring) =>
        input.Breaches
            .Select(day => contracts.FirstOrDefault(c => c.SlaCredit is not null && c.Covers(day)))
            .OfType<Contract>()
            .GroupBy(c => c.Id)
            .Select(g => InvoiceMath.CreditLine(g.First().Terms, recurring[g.Key], g.Count(), input.Currency) is { } line ? line with { ContractId = g.Key } : null)
            .OfType<InvoiceLine>();
}
