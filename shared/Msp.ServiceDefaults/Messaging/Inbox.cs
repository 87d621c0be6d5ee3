using Microsoft.EntityFrameworkCore;
using Msp.Contracts;

namespace Msp.ServiceDefaults.Messaging;

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
