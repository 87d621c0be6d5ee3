using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Msp.Data;
using Msp.KnownParties;
using Msp.ServiceDefaults.Identity;
using Msp.Tickets.Persistence;
using Hangfire;

namespace Msp.Tickets.Features.AutoClose;

/// <summary>Closes tickets that stayed resolved for <c>Msp:Tickets:AutoCloseAfter</c>, on the Hangfire schedule
/// <c>Msp:Tickets:AutoCloseSchedule</c> (every minute). Each occurrence runs once across replicas; each batch also locks
/// its tickets (<c>FOR UPDATE SKIP LOCKED</c>), so even two runs at once never close, or announce, a ticket twice.</summary>
public sealed class AutoCloseJob(IServiceScopeFactory scopes, IOptions<TicketsOptions> options, TimeProvider clock, ILogger<AutoCloseJob> logger)
{
    public const string Id = "auto-close";

    public const int BatchSize = 200;

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 0)] // the next occurrence is a minute away
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var closed = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = await CloseBatchAsync(cancellationToken);
            closed += batch;
            if (batch < BatchSize)
            {
                break;
            }
        }

        if (closed > 0)
        {
            logger.LogInformation("Closed {Count} tickets resolved more than {After} ago", closed, options.Value.AutoCloseAfter);
        }
    }

    public async Task<int> CloseBatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().AllowAll(); // a system job, across every tenant
        var db = scope.ServiceProvider.GetRequiredService<TicketsDb>();
        var now = clock.GetUtcNow();
        var cutoff = now - options.Value.AutoCloseAfter;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var due = await db.Tickets.FromSql($"""
            SELECT *, xmin FROM tickets WHERE status = 'Resolved' AND resolved_at <= {cutoff}
            ORDER BY resolved_at LIMIT {BatchSize} FOR UPDATE SKIP LOCKED
            """).IgnoreQueryFilters().ToListAsync(ct);
        foreach (var ticket in due.Where(t => t.CloseIfResolvedBefore(cutoff, now)))
        {
            await db.SaveTicketAsync(ticket, correlationId: null, ct);
        }

        await tx.CommitAsync(ct);
        return due.Count;
    }
}
