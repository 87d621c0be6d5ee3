using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Msp.ServiceDefaults.Tenancy;
using Msp.Tickets.Persistence;
using Quartz;

namespace Msp.Tickets.Features.AutoClose;

/// <summary>Closes tickets that stayed resolved for <c>Msp:Tickets:AutoCloseAfter</c>. Each batch locks its tickets
/// (<c>FOR UPDATE SKIP LOCKED</c>), so two replicas running the job at once never close, or announce, a ticket twice.</summary>
[DisallowConcurrentExecution]
public sealed class AutoCloseJob(IServiceScopeFactory scopes, IOptions<TicketsOptions> options, TimeProvider clock, ILogger<AutoCloseJob> logger) : IJob
{
    public const int BatchSize = 200;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
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
