using Microsoft.EntityFrameworkCore;
using Msp.Billing.Domain;
using Msp.Billing.Persistence;
using Msp.Data;
using Msp.KnownParties;
using Msp.ServiceDefaults.Identity;

namespace Msp.Billing.Features.Invoices;

/// <summary>Computes the invoices of a period, one tenant per transaction. Each tenant's work holds a transaction-scoped
/// advisory lock on that tenant, so two runs at once (or a run and an issue) take turns tenant by tenant: the second
/// finds the first's draft and leaves it as it is, or brings it up to date. An issued invoice is never touched.</summary>
public sealed class InvoiceRunner(IServiceScopeFactory scopes, TimeProvider clock, ILogger<InvoiceRunner> logger)
{
    /// <summary>Tenants invoiced at once; the machine's cores are shared with the database.</summary>
    public const int Parallelism = 2;

    public async Task<InvoiceRun> RunAsync(BillingPeriod period, Guid? requestedBy, string trigger, CancellationToken ct)
    {
        var started = clock.GetUtcNow();
        Guid[] tenants;
        await using (var scope = scopes.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantScope>().AllowAll(); // a run bills every tenant that has an account
            tenants = await scope.ServiceProvider.GetRequiredService<BillingDb>().Accounts.AsNoTracking()
                .OrderBy(a => a.TenantId).Select(a => a.TenantId).ToArrayAsync(ct);
        }

        var outcomes = new RunOutcome[tenants.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, tenants.Length), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct },
            async (i, token) => outcomes[i] = await InvoiceTenantAsync(tenants[i], period, token));

        var run = new InvoiceRun(Guid.CreateVersion7(), period.ToString(), requestedBy, trigger, started, clock.GetUtcNow(), tenants.Length,
            outcomes.Count(o => o == RunOutcome.Created), outcomes.Count(o => o == RunOutcome.Updated),
            outcomes.Count(o => o == RunOutcome.Unchanged), outcomes.Count(o => o == RunOutcome.AlreadyIssued));
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BillingDb>();
            db.InvoiceRuns.Add(run);
            await db.SaveChangesAsync(ct);
        }

        logger.LogInformation("Invoice run for {Period}: {Tenants} tenants, {Created} drafts created, {Updated} updated, {Unchanged} unchanged, {Issued} already issued, in {Elapsed}",
            run.Period, run.Tenants, run.Created, run.Updated, run.Unchanged, run.Issued, run.FinishedAt - run.StartedAt);
        return run;
    }

    /// <summary>Brings the tenant's invoice for the period up to date: a draft is created or recomputed; an issued one
    /// stays as it is.</summary>
    public async Task<RunOutcome> InvoiceTenantAsync(Guid tenantId, BillingPeriod period, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().Allow(tenantId);
        var db = scope.ServiceProvider.GetRequiredService<BillingDb>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await LockTenantAsync(db, tenantId, ct);
        var invoice = await CurrentAsync(db, tenantId, period, ct);
        if (invoice is not null && invoice.Status != InvoiceStatus.Draft)
        {
            return RunOutcome.AlreadyIssued;
        }

        if (await InvoiceInputs.LoadAsync(db, tenantId, period, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), ct) is not { } inputs)
        {
            return RunOutcome.Nothing;
        }

        var computed = InvoiceCalculation.Compute(inputs);
        var now = clock.GetUtcNow();
        RunOutcome outcome;
        if (invoice is null)
        {
            if (computed.IsEmpty)
            {
                return RunOutcome.Nothing;
            }

            invoice = Invoice.Draft(tenantId, period, computed, now);
            db.Invoices.Add(invoice);
            db.BilledTime.AddRange(computed.Allocations.Select((a, i) => BilledTime.On(invoice, i, a)));
            outcome = RunOutcome.Created;
        }
        else if (await RefreshDraftAsync(db, invoice, computed, now, ct))
        {
            outcome = RunOutcome.Updated;
        }
        else
        {
            return RunOutcome.Unchanged;
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return outcome;
    }

    /// <summary>Gives a draft the figures computed now, and the time it bills with them; answers whether they differed.</summary>
    public static async Task<bool> RefreshDraftAsync(BillingDb db, Invoice invoice, InvoiceComputation computed, DateTimeOffset now, CancellationToken ct)
    {
        if (!invoice.Refresh(computed, now))
        {
            return false;
        }

        await db.BilledTime.Where(b => b.InvoiceId == invoice.Id).ExecuteDeleteAsync(ct);
        db.BilledTime.AddRange(computed.Allocations.Select((a, i) => BilledTime.On(invoice, i, a)));
        return true;
    }

    /// <summary>The tenant's invoice for the period (not a voided one), tracked.</summary>
    public static Task<Invoice?> CurrentAsync(BillingDb db, Guid tenantId, BillingPeriod period, CancellationToken ct)
    {
        var month = period.ToString();
        return db.Invoices.FirstOrDefaultAsync(i => i.TenantId == tenantId && i.Period == month && i.Kind == InvoiceKind.Invoice && i.Status != InvoiceStatus.Void, ct);
    }

    /// <summary>Holds the tenant's billing lock until the transaction ends.</summary>
    public static Task LockTenantAsync(BillingDb db, Guid tenantId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({"billing:" + tenantId}, 0))", ct);
}
