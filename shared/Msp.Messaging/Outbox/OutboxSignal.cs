using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Msp.Data;

namespace Msp.Messaging;

/// <summary>Wakes the outbox relay as soon as something may have been committed, so events leave in milliseconds.</summary>
public sealed class OutboxSignal : WakeSignal;

/// <summary>Notifies the relay after a commit that wrote outbox rows, and only then: a commit without events (the
/// relay's own, an inbox row) must not wake it, or the relay would wake itself forever.</summary>
public sealed class OutboxSignalInterceptor(OutboxSignal signal) : SaveChangesInterceptor, IDbTransactionInterceptor, IRowInsertObserver
{
    // Contexts whose open transaction wrote outbox rows.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, object> Pending = new();

    /// <summary>Outbox rows written in the context's transaction without SaveChanges (a row insert): wake the relay when
    /// it commits.</summary>
    public void RowsInserting(DbContext db, Microsoft.EntityFrameworkCore.Metadata.IEntityType entity)
    {
        if (entity.ClrType == typeof(OutboxMessage))
        {
            Pending.AddOrUpdate(db, true);
        }
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Remember(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Remember(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context?.Database.CurrentTransaction is null)
        {
            NotifyIfPending(eventData.Context);
        }

        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context?.Database.CurrentTransaction is null)
        {
            NotifyIfPending(eventData.Context);
        }

        return result;
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        NotifyIfPending(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => NotifyIfPending(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    private void Remember(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        // An added row is tracked as Added from the moment it is added: no need for the scan of every tracked entity
        // that Entries() would otherwise start (SaveChanges runs that scan right after).
        var detect = context.ChangeTracker.AutoDetectChangesEnabled;
        context.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            if (context.ChangeTracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added))
            {
                Pending.AddOrUpdate(context, true);
            }
        }
        finally
        {
            context.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    private void NotifyIfPending(DbContext? context)
    {
        if (context is not null && Pending.Remove(context))
        {
            signal.Notify();
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            Pending.Remove(context);
        }
    }
}
