using Microsoft.EntityFrameworkCore;
using Msp.Contracts;
using Msp.Data;

namespace Msp.Messaging;

/// <summary>Makes a consumer idempotent: the (event, consumer) pair is recorded in the same transaction as the
/// consumer's changes, so a redelivered event finds its row and changes nothing.</summary>
public static class Inbox
{
    /// <summary>Runs <paramref name="handle"/> and saves its changes, unless this consumer already processed the event.
    /// Returns whether it ran. A concurrent duplicate waits on the first one's row and then skips.</summary>
    public static async Task<bool> ProcessOnceAsync(
        this DbContext db,
        IIntegrationEvent message,
        string consumer,
        Func<CancellationToken, Task> handle,
        CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var claimed = await db.Database.ExecuteSqlAsync(
            $"INSERT INTO inbox (event_id, consumer) VALUES ({message.EventId}, {consumer}) ON CONFLICT DO NOTHING", ct);
        if (claimed == 0)
        {
            return false;
        }

        await handle(ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }
}

/// <summary>The inbox for a consumer that takes its events in batches (<c>IConsumer&lt;Batch&lt;T&gt;&gt;</c>): one statement
/// claims every event of the batch, one transaction applies those claimed. Under load a batch replaces tens of
/// transactions, each with its claim, its reads and its commit, by one.</summary>
public static class BatchInbox
{
    /// <summary>Runs <paramref name="handle"/> with the events of <paramref name="batch"/> this consumer has not processed
    /// yet, and saves its changes, all in one transaction; with none, it does not run. The unit of work's tenant scope
    /// is every tenant of the batch. Should the batch fail, each of its events is tried in a transaction of its own, so
    /// that one event that cannot be applied holds back no other; the first failure is then thrown, and the retry (and
    /// at last the error queue) concerns only what the inbox has not recorded.</summary>
    public static async Task ProcessOnceAsync<T>(
        this DbContext db,
        TenantScope scope,
        IReadOnlyList<T> batch,
        string consumer,
        Func<IReadOnlyList<T>, CancellationToken, Task> handle,
        CancellationToken ct) where T : IIntegrationEvent
    {
        try
        {
            await ApplyAsync(db, scope, batch, consumer, handle, ct);
        }
        catch (Exception) when (batch.Count > 1 && !ct.IsCancellationRequested)
        {
            Exception? first = null;
            foreach (var e in batch)
            {
                db.ChangeTracker.Clear();
                try
                {
                    await ApplyAsync(db, scope, [e], consumer, handle, ct);
                }
                catch (Exception failure) when (!ct.IsCancellationRequested)
                {
                    first ??= failure;
                }
            }

            if (first is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
            }
        }
    }

    private static async Task ApplyAsync<T>(
        DbContext db, TenantScope scope, IReadOnlyList<T> batch, string consumer, Func<IReadOnlyList<T>, CancellationToken, Task> handle, CancellationToken ct)
        where T : IIntegrationEvent
    {
        scope.Allow([.. batch.Select(e => e.TenantId)]);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var ids = batch.Select(e => e.EventId).Distinct().ToArray();
        var claimed = (await db.Database.SqlQuery<Guid>($"""
            INSERT INTO inbox (event_id, consumer) SELECT id, {consumer} FROM unnest({ids}) AS id
            ON CONFLICT DO NOTHING RETURNING event_id AS "Value"
            """).ToListAsync(ct)).ToHashSet();
        var fresh = new List<T>();
        foreach (var e in batch)
        {
            if (claimed.Remove(e.EventId))
            {
                fresh.Add(e); // a copy redelivered within the batch is skipped like any other
            }
        }

        if (fresh.Count > 0)
        {
            await handle(fresh, ct);
            await db.SaveChangesInsertingRowsAsync(ct); // a batch's new rows, one statement per table (decision 0020)
        }

        await tx.CommitAsync(ct);
    }
}
