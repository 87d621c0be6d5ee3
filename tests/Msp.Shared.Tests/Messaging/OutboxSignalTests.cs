using Microsoft.EntityFrameworkCore;
using Msp.Contracts;
using Msp.Contracts.Tenants;
using Msp.Messaging;

namespace Msp.Shared.Tests.Messaging;

/// <summary>The relay is woken by commits that wrote events, and only by those: a commit without events (the relay's
/// own marking of published rows, an inbox row) waking it would make it spin.</summary>
public sealed class OutboxSignalTests
{
    private static MessagingDb Open(Msp.Testing.TestDatabase database, OutboxSignal signal) =>
        new(new DbContextOptionsBuilder<MessagingDb>().UseNpgsql(database.AppConnectionString).AddInterceptors(new OutboxSignalInterceptor(signal)).Options);

    private static TenantCreated AnEvent() => new()
    {
        EventId = EventIds.New(), TenantId = Guid.CreateVersion7(), OccurredAt = DateTimeOffset.UtcNow,
        Name = "Acme", Slug = "acme", TimeZone = "UTC", Country = "FR", Status = "Active",
    };

    [Fact]
    public async Task OnlyCommitsThatWroteEvents_WakeTheRelay()
    {
        var database = await MessagingDb.CreateAsync();
        var signal = new OutboxSignal();

        await using (var db = Open(database, signal))
        {
            db.Counters.Add(new Counter { Id = "plain", Value = 1 });
            await db.SaveChangesAsync();
        }

        (await signal.WaitAsync(TimeSpan.Zero, CancellationToken.None)).ShouldBeFalse("a save without events");

        await using (var db = Open(database, signal))
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            db.PublishOnSave(AnEvent());
            await db.SaveChangesAsync();
            (await signal.WaitAsync(TimeSpan.Zero, CancellationToken.None)).ShouldBeFalse("not before the commit");
            await tx.RollbackAsync();
        }

        (await signal.WaitAsync(TimeSpan.Zero, CancellationToken.None)).ShouldBeFalse("a rolled-back transaction");

        await using (var db = Open(database, signal))
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            db.PublishOnSave(AnEvent());
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }

        (await signal.WaitAsync(TimeSpan.Zero, CancellationToken.None)).ShouldBeTrue("a committed event");

        await using (var db = Open(database, signal))
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            var row = await db.Set<OutboxMessage>().AsNoTracking().FirstAsync();
            await db.Set<OutboxMessage>().MarkPublishedAsync([row.Id], DateTimeOffset.UtcNow, CancellationToken.None);
            await tx.CommitAsync();
        }

        (await signal.WaitAsync(TimeSpan.Zero, CancellationToken.None)).ShouldBeFalse("the relay's own commit");
    }
}
