using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Msp.Messaging;
using Msp.Data;
using Msp.Tickets.Domain;
using Msp.Tickets.Persistence;

namespace Msp.Tickets.Features.CreateTicket;

/// <summary>A create that passed every check of its request and now waits for its number and its commit.</summary>
public sealed record TicketOpening(
    Guid TenantId, string TenantSlug, TicketDraft Draft, Actor Actor, string IdempotencyKey, string RequestHash, string? CorrelationId)
{
    internal TaskCompletionSource<Ticket> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The ticket once committed, or why this create failed.</summary>
    public Task<Ticket> Opened => Outcome.Task;
}

/// <summary>Writes the creates that arrive together in one transaction (group commit, docs/decisions/0019). One loop
/// takes whatever creates are waiting, up to <see cref="MaxBatch"/>, and writes them: numbers for each tenant in one
/// statement, the rows of each table in one statement (decision 0020), one commit. Nothing waits for a batch to fill: a
/// lone create is written at once, and under load the creates that arrive while a batch commits form the next one. When
/// a batch fails, each of its creates is written alone, so a create fails only for a fault of its own (a raced
/// <c>Idempotency-Key</c>), and a rolled-back batch gives its numbers back: they stay gapless.</summary>
public sealed class TicketOpener(IDbContextFactory<TicketsDb> contexts, TimeProvider clock, ILogger<TicketOpener> logger) : BackgroundService
{
    public const int MaxBatch = 64;

    private readonly Channel<TicketOpening> waiting = Channel.CreateUnbounded<TicketOpening>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>The ticket as committed. Once the service is stopping, a create is written alone, in the caller's turn.</summary>
    public async Task<Ticket> OpenAsync(TicketOpening opening)
    {
        if (!waiting.Writer.TryWrite(opening))
        {
            await WriteAsync([opening]);
        }

        return await opening.Opened;
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        // Creates already waiting are still written; the loop ends when none is left.
        waiting.Writer.TryComplete();
        return base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<TicketOpening>(MaxBatch);
        while (await waiting.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < MaxBatch && waiting.Reader.TryRead(out var opening))
            {
                batch.Add(opening);
            }

            await WriteAsync(batch);
            batch.Clear();
        }
    }

    /// <summary>Writes the batch in one transaction or, when that fails, each create alone; every create learns its own outcome.</summary>
    public async Task WriteAsync(IReadOnlyList<TicketOpening> batch)
    {
        if (batch.Count > 1)
        {
            try
            {
                var tickets = await CommitAsync(batch);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Outcome.TrySetResult(tickets[i]);
                }

                return;
            }
            catch (Exception e)
            {
                logger.LogInformation(e, "A batch of {Count} creates failed; writing each alone", batch.Count);
            }
        }

        foreach (var opening in batch)
        {
            try
            {
                opening.Outcome.TrySetResult((await CommitAsync([opening]))[0]);
            }
            catch (Exception e)
            {
                opening.Outcome.TrySetException(e);
            }
        }
    }

    private async Task<List<Ticket>> CommitAsync(IReadOnlyList<TicketOpening> batch)
    {
        await using var db = await contexts.CreateDbContextAsync();
        // Every tenant here was found in the scope of the request that asked for its ticket; row-level security holds
        // the transaction to exactly those tenants.
        db.Scope = new();
        db.Scope.Allow([.. batch.Select(o => o.TenantId)]);
        await using var tx = await db.Database.BeginTransactionAsync();
        var next = await db.TakeNumbersAsync(batch.CountBy(o => o.TenantId).ToDictionary(), CancellationToken.None);
        var now = clock.GetUtcNow();
        var tickets = new List<Ticket>(batch.Count);
        var history = new List<HistoryEntry>(batch.Count);
        var keys = new List<IdempotencyKey>(batch.Count);
        var outbox = new List<OutboxMessage>(batch.Count);
        foreach (var opening in batch)
        {
            var ticket = Ticket.Open(opening.TenantId, next[opening.TenantId]++, opening.TenantSlug, opening.Draft, opening.Actor, now);
            tickets.Add(ticket);
            if (opening.IdempotencyKey.Length > 0)
            {
                keys.Add(new IdempotencyKey(opening.TenantId, opening.Actor.Id, opening.IdempotencyKey, opening.RequestHash, ticket.Id, now));
            }

            var (entries, events) = ticket.TakeChanges();
            history.AddRange(entries);
            outbox.AddRange(events.Select(e => OutboxMessage.For(e, opening.CorrelationId)));
        }

        // One statement per table for the whole batch (decision 0020), in the order of their foreign keys.
        await db.InsertRowsAsync(tickets, CancellationToken.None);
        await db.InsertRowsAsync(history, CancellationToken.None);
        await db.InsertRowsAsync(keys, CancellationToken.None);
        await db.InsertRowsAsync(outbox, CancellationToken.None);
        await tx.CommitAsync();
        return tickets;
    }
}
