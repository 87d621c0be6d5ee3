using System.Diagnostics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

using Msp.Data;

namespace Msp.Messaging;

/// <summary>Publishes outbox rows to RabbitMQ, oldest first, a batch at a time. Rows are claimed with <c>FOR UPDATE SKIP LOCKED</c>,
/// so any number of replicas can relay at once without publishing a row twice at the same time; a row is marked
/// published in the same transaction that claimed it. Delivery is at-least-once: consumers deduplicate.</summary>
public sealed class OutboxRelay<TDb>(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignal signal,
    TimeProvider clock,
    ILogger<OutboxRelay<TDb>> logger) : WakeableLoop(signal, clock, logger) where TDb : DbContext
{
    private const int BatchSize = 100;
    private static readonly ActivitySource Source = new("Msp.Messaging.Outbox");
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);

    protected override string Name => "Outbox relay";

    protected override async Task<TimeSpan> RoundAsync(CancellationToken ct) =>
        (await RelayBatchAsync(ct)).Full ? TimeSpan.Zero : PollInterval;

    /// <summary>Publishes one batch. Returns how many were published and whether the batch was full (more may wait).</summary>
    public async Task<(int Published, bool Full)> RelayBatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var batch = await db.Set<OutboxMessage>()
            .FromSql($"SELECT * FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT {BatchSize} FOR UPDATE SKIP LOCKED")
            .AsNoTracking()
            .ToListAsync(ct);

        // The whole batch is published at once and its confirmations awaited together: one broker round trip per
        // batch rather than per event. Consumers never relied on order (events carry sequences or versions).
        var outcomes = batch.Zip(await Task.WhenAll(batch.Select(row => PublishAsync(row, ct)))).ToList();
        var published = outcomes.Where(o => o.Second is null).Select(o => o.First.Id).ToList();
        if (published.Count > 0)
        {
            // What went out is recorded even when the service is stopping: the broker has it.
            await db.Set<OutboxMessage>().MarkPublishedAsync(published, Clock.GetUtcNow(), CancellationToken.None);
        }

        var failed = outcomes.Where(o => o.Second is not null).ToList();
        if (failed.Count > 0)
        {
            // The failed rows stay unpublished with their error; the next round retries them after a backoff.
            foreach (var (row, error) in failed)
            {
                db.Attach(row).Entity.MarkFailed(error!.Message);
                Logger.LogWarning("Could not publish outbox message {MessageId} ({Type}): {Error}", row.Id, row.MessageType, error.Message);
            }

            await db.SaveChangesAsync(CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
            throw new OutboxPublishException(failed[0].First.Id, failed[0].Second!);
        }

        await tx.CommitAsync(CancellationToken.None);
        return (published.Count, batch.Count == BatchSize);
    }

    private async Task<Exception?> PublishAsync(OutboxMessage row, CancellationToken ct)
    {
        // The publish continues the trace of the request that wrote the row, however much later it goes out.
        ActivityContext.TryParse(row.TraceParent, null, out var parent);
        using var activity = Source.StartActivity("outbox publish", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.message.id", row.Id.ToString());
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(PublishTimeout);
            var (message, type) = row.Deserialize();
            await bus.Publish(message, type, context =>
            {
                context.MessageId = row.Id;
                context.Headers.Set(EventScopeFilter<object>.TenantHeader, row.TenantId.ToString());
                if (row.CorrelationId is not null)
                {
                    context.Headers.Set(EventScopeFilter<object>.CorrelationHeader, row.CorrelationId);
                }
            }, timeout.Token);
            return null;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            return ex;
        }
    }
}

public sealed class OutboxPublishException(Guid messageId, Exception inner)
    : Exception($"Outbox message {messageId} could not be published.", inner);
