using Msp.Contracts;
using Msp.Contracts.Slas;
using NodaTime;

namespace Msp.Slas.Domain;

/// <summary>A ticket's clock as stored: the outcome of the last replay (<see cref="ClockRun"/>) and the notifications
/// already published, which a replay never takes back. <see cref="WarnAt"/> and <see cref="BreachAt"/> tell the sweep
/// when to publish; the database keeps the earlier of the two not yet published as <c>next_fire_at</c>.</summary>
public sealed class SlaClock
{
    private SlaClock()
    {
    }

    public Guid TicketId { get; private set; }

    public ClockKind Kind { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid PolicyId { get; private set; }

    public int WarningPercent { get; private set; }

    public string? TicketReference { get; private set; }

    public ClockState State { get; private set; }

    public string Priority { get; private set; } = "";

    public int TargetMinutes { get; private set; }

    public Guid? CalendarId { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    public TimeSpan ElapsedBefore { get; private set; }

    public DateTimeOffset SegmentStart { get; private set; }

    public DateTimeOffset? DueAt { get; private set; }

    public DateTimeOffset? WarnAt { get; private set; }

    public DateTimeOffset? BreachAt { get; private set; }

    public DateTimeOffset? StoppedAt { get; private set; }

    public string? StopReason { get; private set; }

    public bool Met { get; private set; }

    public DateTimeOffset? WarnedAt { get; private set; }

    public DateTimeOffset? BreachedAt { get; private set; }

    public DateTimeOffset? MetAnnouncedAt { get; private set; }

    public List<LedgerEntry> Ledger { get; private set; } = [];

    public DateTimeOffset UpdatedAt { get; private set; }

    public uint RowVersion { get; private set; }

    /// <summary>The next instant the sweep has something to publish for this clock (the database computes the same
    /// as <c>next_fire_at</c>).</summary>
    public DateTimeOffset? NextFireAt => new[] { WarnedAt is null ? WarnAt : null, BreachedAt is null ? BreachAt : null }.Min();

    public static SlaClock For(Guid tenantId, Guid ticketId, ClockKind kind) => new() { TenantId = tenantId, TicketId = ticketId, Kind = kind };

    /// <summary>Takes the outcome of a replay. Answers <see cref="SlaMet"/> the first time the clock stops in time.</summary>
    public SlaMet? Take(ClockRun run, SlaTerms terms, string? reference, DateTimeOffset now)
    {
        PolicyId = terms.PolicyId;
        WarningPercent = terms.WarningPercent;
        TicketReference = reference;
        State = run.State;
        Priority = run.Priority;
        TargetMinutes = run.TargetMinutes;
        CalendarId = run.CalendarId;
        StartedAt = run.StartedAt.ToDateTimeOffset();
        ElapsedBefore = run.ElapsedBefore.ToTimeSpan();
        SegmentStart = run.SegmentStart.ToDateTimeOffset();
        DueAt = run.DueAt?.ToDateTimeOffset();
        // What was published stays as published: a replay never moves an announced warning or breach.
        WarnAt = WarnedAt is null ? run.WarnAt?.ToDateTimeOffset() : WarnAt;
        BreachAt = BreachedAt is null ? DueAt : BreachAt; // a clock breaches at its due instant (run.BreachAt is DueAt)
        StoppedAt = run.StoppedAt?.ToDateTimeOffset();
        StopReason = run.StopReason;
        Met = run.Met;
        Ledger = [.. run.Ledger];
        UpdatedAt = now;
        if (!Met || MetAnnouncedAt is not null)
        {
            return null;
        }

        MetAnnouncedAt = now;
        return new SlaMet
        {
            EventId = EventIds.New(),
            TenantId = TenantId,
            OccurredAt = now,
            TicketId = TicketId,
            Clock = Kind.ToString(),
            TicketReference = TicketReference,
            Priority = Priority,
            PolicyId = PolicyId,
            TargetMinutes = TargetMinutes,
            ElapsedMinutes = ClockRun.Minutes(run.ElapsedBefore),
            StoppedAt = StoppedAt!.Value,
        };
    }

    /// <summary>Publishes what has fallen due by <paramref name="now"/> and was not published yet: each at most once.</summary>
    public IEnumerable<IIntegrationEvent> Fire(DateTimeOffset now)
    {
        if (WarnedAt is null && WarnAt <= now)
        {
            WarnedAt = now;
            yield return new SlaWarning
            {
                EventId = EventIds.New(),
                TenantId = TenantId,
                OccurredAt = now,
                TicketId = TicketId,
                Clock = Kind.ToString(),
                TicketReference = TicketReference,
                Priority = Priority,
                PolicyId = PolicyId,
                TargetMinutes = TargetMinutes,
                ReachedAt = WarnAt.Value,
                DueAt = DueAt,
            };
        }

        if (BreachedAt is null && BreachAt <= now)
        {
            BreachedAt = now;
            yield return new SlaBreached
            {
                EventId = EventIds.New(),
                TenantId = TenantId,
                OccurredAt = now,
                TicketId = TicketId,
                Clock = Kind.ToString(),
                TicketReference = TicketReference,
                Priority = Priority,
                PolicyId = PolicyId,
                TargetMinutes = TargetMinutes,
                DueAt = BreachAt.Value,
            };
        }

        UpdatedAt = now;
    }

    /// <summary>Business time counted by <paramref name="now"/>, in the calendar of the clock's current priority.</summary>
    public Duration ElapsedAt(DateTimeOffset now, BusinessCalendar calendar)
    {
        var before = Duration.FromTimeSpan(ElapsedBefore);
        return State == ClockState.Running && now > SegmentStart
            ? before + calendar.Between(Instant.FromDateTimeOffset(SegmentStart), Instant.FromDateTimeOffset(now))
            : before;
    }

    /// <summary>The ledger with the published warning and breach in their place.</summary>
    public IEnumerable<LedgerEntry> LedgerWithNotifications()
    {
        var entries = new List<LedgerEntry>(Ledger);
        if (WarnedAt is { } warned && WarnAt is { } reached)
        {
            var elapsed = Math.Round(TargetMinutes * WarningPercent / 100.0, 2);
            entries.Add(new LedgerEntry(reached, "Warning", $"{WarningPercent} % of the target reached; SlaWarning published at {warned:u}.",
                State.ToString(), Priority, TargetMinutes, elapsed, TargetMinutes - elapsed, DueAt));
        }

        if (BreachedAt is { } breached && BreachAt is { } due)
        {
            entries.Add(new LedgerEntry(due, "Breached", $"Target of {TargetMinutes} business minutes passed; SlaBreached published at {breached:u}.",
                State.ToString(), Priority, TargetMinutes, TargetMinutes, 0, due));
        }

        return entries.OrderBy(e => e.At);
    }
}
