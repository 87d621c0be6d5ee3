using Microsoft.EntityFrameworkCore;
using Msp.Messaging;
using Msp.Data;
using Msp.KnownParties;
using Msp.ServiceDefaults.Identity;
using Msp.Slas.Persistence;

namespace Msp.Slas.Features.Clocks;

/// <summary>Wakes the sweep when a clock now falls due earlier than the moment it sleeps towards, and only then: most
/// clock changes move deadlines hours ahead, and waking for each would cost the sweep a round of queries.</summary>
public sealed class SweepSignal : WakeSignal
{
    private long plannedTicks = long.MaxValue;

    /// <summary>The sweep will look again at <paramref name="at"/> at the latest.</summary>
    public void Planned(DateTimeOffset at) => Interlocked.Exchange(ref plannedTicks, at.UtcTicks);

    /// <summary>A clock has something to publish at <paramref name="at"/>: wake the sweep if that is before its plan.</summary>
    public void Due(DateTimeOffset? at)
    {
        if (at is { } instant && instant.UtcTicks < Interlocked.Read(ref plannedTicks))
        {
            Notify();
        }
    }
}

/// <summary>Publishes warnings and breaches as their instants come. It sleeps until the earliest pending instant
/// (<c>next_fire_at</c>, indexed), or until a consumer changed a clock, or at most <see cref="IdlePoll"/>; then it
/// claims what is due with <c>FOR UPDATE SKIP LOCKED</c>, marks it and writes the events to the outbox in one
/// transaction. So each event is published once however many replicas sweep, and what fell due while the service was
/// down is published on the first pass after start. A timer of our own rather than a Quartz trigger: see
/// docs/decisions/0014.</summary>
public sealed class DeadlineSweep(IServiceScopeFactory scopes, SweepSignal signal, TimeProvider clock, ILogger<DeadlineSweep> logger)
    : WakeableLoop(signal, clock, logger)
{
    public const int BatchSize = 500;
    public static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);

    /// <summary>Due rows another transaction holds (a replay of the same ticket): look again shortly.</summary>
    private static readonly TimeSpan LockedRetry = TimeSpan.FromMilliseconds(20);

    protected override string Name => "SLA sweep";

    protected override async Task<TimeSpan> RoundAsync(CancellationToken ct)
    {
        // While this round runs, the next one is at most IdlePoll away: only a deadline before that needs a wake-up.
        signal.Planned(Clock.GetUtcNow() + IdlePoll);
        var claimed = await FireDueAsync(ct);
        var wait = claimed == BatchSize ? TimeSpan.Zero : await NextWaitAsync(claimed, ct);
        signal.Planned(Clock.GetUtcNow() + wait);
        return wait;
    }

    /// <summary>Publishes one batch of what is due now. Returns how many clocks it claimed.</summary>
    public async Task<int> FireDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().AllowAll(); // a system task, across every tenant
        var db = scope.ServiceProvider.GetRequiredService<SlasDb>();
        var now = Clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var due = await db.Clocks.FromSql($"""
            SELECT *, xmin FROM sla_clocks WHERE next_fire_at <= {now}
            ORDER BY next_fire_at LIMIT {BatchSize} FOR UPDATE SKIP LOCKED
            """).IgnoreQueryFilters().ToListAsync(ct);
        foreach (var e in due.SelectMany(c => c.Fire(now)))
        {
            db.PublishOnSave(e);
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return due.Count;
    }

    private async Task<TimeSpan> NextWaitAsync(int claimed, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().AllowAll();
        var db = scope.ServiceProvider.GetRequiredService<SlasDb>();
        var next = await db.Database.SqlQuery<DateTimeOffset?>($"SELECT min(next_fire_at) AS \"Value\" FROM sla_clocks").SingleAsync(ct);
        if (next is null)
        {
            return IdlePoll;
        }

        var wait = next.Value - Clock.GetUtcNow();
        return wait <= TimeSpan.Zero ? (claimed == 0 ? LockedRetry : TimeSpan.Zero) : wait < IdlePoll ? wait : IdlePoll;
    }
}
