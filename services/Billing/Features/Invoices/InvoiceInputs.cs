using Microsoft.EntityFrameworkCore;
using Msp.Billing.Domain;
using Msp.Billing.Persistence;

namespace Msp.Billing.Features.Invoices;

/// <summary>Reads what an invoice is computed from. Every query names the tenant, and row-level security confines the
/// unit of work to it as well.</summary>
public static class InvoiceInputs
{
    /// <summary>The inputs of the tenant's invoice for the period, as of <paramref name="today"/> (a month not over bills
    /// none of its time); null when the tenant has no billing account.</summary>
    public static async Task<BillingInputs?> LoadAsync(BillingDb db, Guid tenantId, BillingPeriod period, DateOnly today, CancellationToken ct)
    {
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.TenantId == tenantId, ct);
        if (account is null)
        {
            return null;
        }

        var contracts = await db.Contracts.AsNoTracking().Where(c => c.TenantId == tenantId).ToListAsync(ct);
        var issued = await Issued(db, tenantId).Where(i => i.Kind == InvoiceKind.Invoice).Select(i => new { i.Period, i.TimePeriod, i.Lines }).ToListAsync(ct);
        var timeInvoiced = issued.Select(i => i.TimePeriod ?? i.Period).ToArray();
        var timeMonth = TimeMonth.Of(period, account.FeeTiming, today);
        // New time ends where the time month does, or where it starts while that month is still running.
        var (from, until) = (timeMonth.Month.Start, timeMonth.Ended ? timeMonth.Month.End : timeMonth.Month.Start);
        // The time month's entries; earlier ones changed since an issued invoice billed them; earlier ones never billed
        // although an issued invoice billed their month's time (logged late).
        var time = await db.Usage.FromSql($"""
            SELECT u.* FROM usage_entries u
            WHERE u.tenant_id = {tenantId} AND u.work_date < {until}
              AND (u.work_date >= {from}
                   OR EXISTS (SELECT 1 FROM billed_time b JOIN invoices i ON i.id = b.invoice_id
                              WHERE b.time_entry_id = u.time_entry_id AND i.status IN ('Issued', 'Paid') AND i.issued_at < u.updated_at)
                   OR (to_char(u.work_date, 'YYYY-MM') = ANY({timeInvoiced})
                       AND NOT EXISTS (SELECT 1 FROM billed_time b JOIN invoices i ON i.id = b.invoice_id
                                       WHERE b.time_entry_id = u.time_entry_id AND i.status IN ('Issued', 'Paid'))))
            """).AsNoTracking().ToListAsync(ct);
        // Time is billed on invoices only (never on credit notes): a tenant with no issued invoice has none billed, and
        // its first run (every tenant's, the first month) saves the two queries.
        var ids = time.Select(t => t.TimeEntryId).ToArray();
        var billed = issued.Count == 0 ? [] : await BilledOnIssued(db, tenantId).Where(b => ids.Contains(b.TimeEntryId)).ToListAsync(ct);
        var drawn = issued.Count == 0 ? [] : await DrawnAsync(db, tenantId, ct);
        var (start, end) = (from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), until.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        var breaches = await db.SlaBreaches.AsNoTracking()
            .Where(b => b.TenantId == tenantId && b.DueAt >= new DateTimeOffset(start) && b.DueAt < new DateTimeOffset(end))
            .Select(b => b.DueAt).ToListAsync(ct);
        return new BillingInputs(period, account.Currency, account.TaxRatePercent, contracts, [.. time.Select(ToBill)],
            [.. billed.Select(b => b.ToAllocation())], drawn,
            [.. breaches.Select(d => DateOnly.FromDateTime(d.UtcDateTime))])
        {
            TimeMonth = timeMonth,
            BilledFees = [.. issued.SelectMany(i => i.Lines).Select(FeeDays.Of).OfType<FeeDays>()],
            // An invoice issued before fee-days were recorded on lines says nothing of its days: its month is left as it was.
            InvoicedMonths = [.. issued.Where(i => !i.Lines.Any(l => l.Kind == LineKind.RecurringFee && l.FirstDay is null))
                .Select(i => BillingPeriod.TryParse(i.Period, out var month) ? month : default).Where(m => m.Start < period.Start)],
        };
    }

    public static TimeToBill ToBill(UsageEntry u) =>
        new(u.TimeEntryId, u.TicketReference, u.WorkDate, u.LoggedAt, u.Billable && !u.Deleted ? u.Minutes : 0, u.WorkType);

    /// <summary>The tenant's issued (or paid) invoices and credit notes.</summary>
    public static IQueryable<Invoice> Issued(BillingDb db, Guid tenantId) =>
        db.Invoices.AsNoTracking().Where(i => i.TenantId == tenantId && (i.Status == InvoiceStatus.Issued || i.Status == InvoiceStatus.Paid));

    /// <summary>The time billed on the tenant's issued invoices, in the order it was billed.</summary>
    public static IQueryable<BilledTime> BilledOnIssued(BillingDb db, Guid tenantId) =>
        from b in db.BilledTime.AsNoTracking()
        join i in Issued(db, tenantId) on b.InvoiceId equals i.Id
        where b.TenantId == tenantId
        orderby i.IssuedAt, b.Seq
        select b;

    /// <summary>The minutes each block of the tenant gave on issued invoices.</summary>
    public static async Task<Dictionary<Guid, int>> DrawnAsync(BillingDb db, Guid tenantId, CancellationToken ct) =>
        await (from b in db.BilledTime.AsNoTracking()
               join i in Issued(db, tenantId) on b.InvoiceId equals i.Id
               where b.TenantId == tenantId && b.BlockId != null
               group b by b.BlockId into g
               select new { Block = g.Key!.Value, Minutes = g.Sum(b => b.Minutes) }).ToDictionaryAsync(x => x.Block, x => x.Minutes, ct);
}
