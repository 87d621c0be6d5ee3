using Microsoft.EntityFrameworkCore;
using Msp.Billing.Domain;
using Msp.Billing.Persistence;
using Msp.Data;
using Msp.KnownParties;
using Msp.ServiceDefaults.Identity;

namespace Msp.Billing.Features.Invoices;

/// <summary>Queues invoice runs and carries them out, one tenant per transaction. Each tenant's work holds a
/// transaction-scoped advisory lock on that tenant, so a run and an issue (or a late second run) take turns tenant by
/// tenant: the second finds the first's draft and leaves it as it is, or brings it up to date. An issued invoice is never
/// touched. A run reports its progress on its row about twice a second.</summary>
public sealed class InvoiceRunner(IServiceScopeFactory scopes, TimeProvider clock, ILogger<InvoiceRunner> logger)
{
    /// <summary>Tenants invoiced at once. Each tenant's unit of work spends most of its time waiting on round trips to
    /// the database: two left two cores half idle (decision 0122), and so did four once the JIT no longer took most of
    /// Billing's CPU (decision 0124).</summary>
    public const int Parallelism = 8;

    private static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(500);

    /// <summary>Queues a run of the month, or answers the run of the month already queued or running (one at a time).
    /// A run that ends between this insert's refusal and the read of it leaves the month free: then it queues again,
    /// rather than answer a conflict with no run to follow.</summary>
    public async Task<(InvoiceRun? Queued, Guid? UnderWay)> QueueAsync(BillingPeriod period, Guid? requestedBy, string trigger, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BillingDb>();
            var run = InvoiceRun.Queue(period, requestedBy, trigger, clock.GetUtcNow());
            db.InvoiceRuns.Add(run);
            try
            {
                await db.SaveChangesAsync(ct);
                return (run, null);
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation("invoice_runs_one_active_per_period"))
            {
                var month = period.ToString();
                var underWay = await db.InvoiceRuns.AsNoTracking()
                    .Where(r => r.Period == month && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running))
                    .Select(r => (Guid?)r.Id).FirstOrDefaultAsync(ct);
                if (underWay is not null || attempt == 3)
                {
                    return (null, underWay);
                }
            }
        }
    }

    /// <summary>Carries out a queued run (or one its worker abandoned); a run another worker holds, or one finished, is
    /// left alone. Any failure is recorded on the run.</summary>
    public async Task RunAsync(Guid runId, CancellationToken ct)
    {
        var (run, tenants) = await StartAsync(runId, ct);
        if (run is null)
        {
            return;
        }

        BillingPeriod.TryParse(run.Period, out var period);
        var done = new List<RunOutcome>(tenants.Length);
        var lastReport = clock.GetUtcNow();
        using var reporting = new SemaphoreSlim(1);
        try
        {
            await Parallel.ForEachAsync(tenants, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (tenant, token) =>
            {
                var outcome = await InvoiceTenantAsync(tenant, period, token);
                lock (done)
                {
                    done.Add(outcome);
                }

                if (clock.GetUtcNow() - lastReport >= ProgressEvery && await reporting.WaitAsync(0, token))
                {
                    try
                    {
                        lastReport = clock.GetUtcNow();
                        RunOutcome[] snapshot;
                        lock (done)
                        {
                            snapshot = [.. done];
                        }

                        run.Progress(snapshot, lastReport);
                        await SaveAsync(run, token);
                    }
                    finally
                    {
                        reporting.Release();
                    }
                }
            });
            run.Succeed(done, clock.GetUtcNow());
            await SaveAsync(run, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Invoice run {Run} of {Period} failed after {Done} of {Tenants} tenants", run.Id, run.Period, done.Count, tenants.Length);
            run.Fail(e.Message, clock.GetUtcNow());
            await SaveAsync(run, CancellationToken.None);
            throw;
        }

        logger.LogInformation("Invoice run {Run} of {Period}: {Tenants} tenants, {Created} drafts created, {Updated} updated, {Unchanged} unchanged, {Issued} already issued, in {Elapsed}",
            run.Id, run.Period, run.Tenants, run.Created, run.Updated, run.Unchanged, run.Issued, run.FinishedAt - run.StartedAt);
    }

    /// <summary>Takes the run (its row locked while deciding) and counts the tenants to invoice: every tenant with a
    /// billing account.</summary>
    private async Task<(InvoiceRun? Run, Guid[] Tenants)> StartAsync(Guid runId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().AllowAll();
        var db = scope.ServiceProvider.GetRequiredService<BillingDb>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var run = await db.InvoiceRuns.FromSql($"SELECT * FROM invoice_runs WHERE id = {runId} FOR UPDATE").FirstOrDefaultAsync(ct);
        if (run is null || !run.CanStart(clock.GetUtcNow()))
        {
            logger.LogInformation("Invoice run {Run} is {Status}: nothing to do", runId, run?.Status.ToString() ?? "unknown");
            return (null, []);
        }

        var tenants = await db.Accounts.AsNoTracking().OrderBy(a => a.TenantId).Select(a => a.TenantId).ToArrayAsync(ct);
        run.Start(tenants.Length, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (run, tenants);
    }

    /// <summary>Records that a run failed before a worker took it.</summary>
    public Task FailAsync(InvoiceRun run, string error)
    {
        run.Fail(error, clock.GetUtcNow());
        return SaveAsync(run, CancellationToken.None);
    }

    private async Task SaveAsync(InvoiceRun run, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDb>();
        await db.InvoiceRuns.Where(r => r.Id == run.Id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, run.Status)
            .SetProperty(r => r.UpdatedAt, run.UpdatedAt)
            .SetProperty(r => r.FinishedAt, run.FinishedAt)
            .SetProperty(r => r.TenantsDone, run.TenantsDone)
            .SetProperty(r => r.Created, run.Created)
            .SetProperty(r => r.Updated, run.Updated)
            .SetProperty(r => r.Unchanged, run.Unchanged)
            .SetProperty(r => r.Issued, run.Issued)
            .SetProperty(r => r.Error, run.Error), ct);
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

            // A new draft and its hundred-odd rows of billed time: one statement each rather than a row per statement
            // through the change tracker (decisions 0020, 0122).
            invoice = Invoice.Draft(tenantId, period, computed, now);
            await db.InsertRowsAsync([invoice], ct);
            await db.InsertRowsAsync(BilledRows(invoice, computed), ct);
            outcome = RunOutcome.Created;
        }
        else if (await RefreshDraftAsync(db, invoice, computed, now, ct))
        {
            await db.SaveChangesAsync(ct);
            outcome = RunOutcome.Updated;
        }
        else
        {
            return RunOutcome.Unchanged;
        }

        await tx.CommitAsync(ct);
        return outcome;
    }

    /// <summary>Gives a draft the figures computed now, and the time it bills with them; answers whether they differed.
    /// Its billed time is replaced at once, inside the caller's transaction; the draft itself is saved by the caller.</summary>
    public static async Task<bool> RefreshDraftAsync(BillingDb db, Invoice invoice, InvoiceComputation computed, DateTimeOffset now, CancellationToken ct)
    {
        if (!invoice.Refresh(computed, now))
        {
            return false;
        }

        await db.BilledTime.Where(b => b.InvoiceId == invoice.Id).ExecuteDeleteAsync(ct);
        await db.InsertRowsAsync(BilledRows(invoice, computed), ct);
        return true;
    }

    private static BilledTime[] BilledRows(Invoice invoice, InvoiceComputation computed) =>
        [.. computed.Allocations.Select((a, i) => BilledTime.On(invoice, i, a))];

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
