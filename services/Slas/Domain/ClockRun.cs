using NodaTime;

namespace Msp.Slas.Domain;

public enum ClockState
{
    Running,
    Paused,
    Stopped,
}

/// <summary>One line of a clock's ledger: what happened, when, and where it left the clock.</summary>
public sealed record LedgerEntry(
    DateTimeOffset At,
    string Event,
    string Detail,
    string State,
    string Priority,
    int TargetMinutes,
    double ElapsedMinutes,
    double RemainingMinutes,
    DateTimeOffset? DueAt);

/// <summary>One SLA clock replayed from the ticket's facts. Elapsed business time is kept as what was counted before
/// the current running stretch (<see cref="ElapsedBefore"/>) plus the business time since <see cref="SegmentStart"/>
/// in the calendar of the current priority; a pause or a priority change closes the stretch. The instants at which the
/// warning threshold and the target were first reached are facts once reached: they survive later changes.</summary>
public sealed class ClockRun
{
    private readonly SlaTerms terms;
    private readonly Func<Guid?, BusinessCalendar> calendars;
    private readonly List<LedgerEntry> ledger = [];

    private ClockRun(ClockKind kind, SlaTerms terms, Func<Guid?, BusinessCalendar> calendars)
    {
        Kind = kind;
        this.terms = terms;
        this.calendars = calendars;
    }

    public ClockKind Kind { get; }

    public ClockState State { get; private set; }

    public string Priority { get; private set; } = "";

    public int TargetMinutes { get; private set; }

    public Guid? CalendarId { get; private set; }

    public BusinessCalendar Calendar { get; private set; } = BusinessCalendar.AroundTheClock;

    public Instant StartedAt { get; private set; }

    public Duration ElapsedBefore { get; private set; }

    public Instant SegmentStart { get; private set; }

    public Instant? WarningReachedAt { get; private set; }

    public Instant? ExceededAt { get; private set; }

    public Instant? StoppedAt { get; private set; }

    public string? StopReason { get; private set; }

    public IReadOnlyList<LedgerEntry> Ledger => ledger;

    public Duration Target => Duration.FromMinutes(TargetMinutes);

    public Duration WarningAfter => Duration.FromSeconds(TargetMinutes * 60L * terms.WarningPercent / 100);

    /// <summary>Stopped in time, for a reason that counts (a cancelled ticket neither meets nor misses its SLA).</summary>
    public bool Met => State == ClockState.Stopped && ExceededAt is null && StopReason != "Cancelled";

    /// <summary>Business time counted up to <paramref name="at"/>.</summary>
    public Duration ElapsedAt(Instant at) =>
        ElapsedBefore + (State == ClockState.Running && at > SegmentStart ? Calendar.Between(SegmentStart, at) : Duration.Zero);

    /// <summary>When the target is (or was) reached: the breach instant once exceeded; while running, when it will be.</summary>
    public Instant? DueAt => ExceededAt ?? (State == ClockState.Running ? Crossing(Target) : null);

    /// <summary>When the sweep should publish the warning: never for a stopped clock, which no longer needs one.</summary>
    public Instant? WarnAt => State == ClockState.Stopped ? null : WarningReachedAt ?? (State == ClockState.Running ? Crossing(WarningAfter) : null);

    /// <summary>When the sweep should publish the breach, if it happens: also for a clock stopped late.</summary>
    public Instant? BreachAt => DueAt;

    /// <summary>Replays the facts in the order of their sequence and answers both clocks; none before the ticket's creation is known.</summary>
    public static IReadOnlyList<ClockRun> Replay(SlaTerms terms, Func<Guid?, BusinessCalendar> calendars, IEnumerable<TicketFact> facts)
    {
        var ordered = facts.OrderBy(f => f.Sequence).ToList();
        var created = ordered.FirstOrDefault(f => f.Kind == FactKind.Created);
        if (created is null)
        {
            return [];
        }

        var clocks = new[] { new ClockRun(ClockKind.FirstResponse, terms, calendars), new ClockRun(ClockKind.Resolution, terms, calendars) };
        foreach (var clock in clocks)
        {
            clock.Start(created.At, created.Priority!);
        }

        foreach (var fact in ordered.Where(f => f.Sequence > created.Sequence))
        {
            foreach (var clock in clocks)
            {
                clock.Apply(fact);
            }
        }

        return clocks;
    }

    private void Start(Instant at, string priority)
    {
        Retarget(priority);
        StartedAt = Calendar.NextOpen(at);
        SegmentStart = StartedAt;
        State = ClockState.Running;
        var detail = $"Started for {priority}: {TargetMinutes} business minutes" + (CalendarId is null ? " around the clock." : ".");
        if (StartedAt > at)
        {
            detail += $" Opened out of hours; counting starts at {StartedAt.ToDateTimeOffset():u}.";
        }

        RecordReached(StartedAt);
        Note(at, "Started", detail);
    }

    private void Apply(TicketFact fact)
    {
        var at = fact.At;
        switch (fact.Kind)
        {
            case FactKind.PriorityChanged when State != ClockState.Stopped:
                var (from, target) = (Priority, TargetMinutes);
                Settle(at);
                Retarget(fact.Priority!);
                var exceeded = ExceededAt is null && ElapsedBefore >= Target;
                RecordReached(at);
                Note(at, "Retargeted", $"Priority {from} → {Priority}: target {target} → {TargetMinutes} business minutes; "
                    + $"the {Minutes(ElapsedBefore)} minutes elapsed are kept." + (exceeded ? " The new target is already exceeded: breached at once." : ""));
                break;
            case FactKind.StaffReplied when Kind == ClockKind.FirstResponse && State != ClockState.Stopped:
                Stop(at, "Responded", "First public reply by staff: clock stopped");
                break;
            case FactKind.StatusChanged:
                ApplyStatus(at, fact.Status!);
                break;
        }
    }

    private void ApplyStatus(Instant at, string status)
    {
        switch (status)
        {
            case "WaitingOnCustomer" when State == ClockState.Running:
                Settle(at);
                State = ClockState.Paused;
                Note(at, "Paused", "Waiting on the customer: clock paused.");
                break;
            case "Resolved" or "Closed" or "Cancelled" when State != ClockState.Stopped:
                Stop(at, status, $"Ticket {status.ToLowerInvariant()}: clock stopped");
                break;
            case "Resolved" or "Closed" or "Cancelled" or "WaitingOnCustomer":
                break;
            default:
                if (State == ClockState.Paused)
                {
                    var paused = Calendar.Between(SegmentStart, at);
                    SegmentStart = at;
                    State = ClockState.Running;
                    Note(at, "Resumed", $"Status {status}: clock resumed; the {Minutes(paused)} business minutes paused are not counted.");
                }
                else if (State == ClockState.Stopped && StopReason != "Responded")
                {
                    SegmentStart = at;
                    State = ClockState.Running;
                    StoppedAt = null;
                    StopReason = null;
                    Note(at, "Reopened", $"Ticket reopened ({status}): clock resumes from {Minutes(ElapsedBefore)} minutes elapsed.");
                }

                break;
        }
    }

    private void Stop(Instant at, string reason, string detail)
    {
        Settle(at);
        State = ClockState.Stopped;
        StoppedAt = at;
        StopReason = reason;
        Note(at, "Stopped", detail + (ExceededAt is null ? (reason == "Cancelled" ? "." : ", target met.") : ", after the breach."));
    }

    /// <summary>Closes the running stretch at <paramref name="at"/>: records the thresholds it crossed, adds its business time.</summary>
    private void Settle(Instant at)
    {
        if (State != ClockState.Running)
        {
            return;
        }

        if (WarningReachedAt is null && Crossing(WarningAfter) is { } warning && warning <= at)
        {
            WarningReachedAt = warning;
        }

        if (ExceededAt is null && Crossing(Target) is { } due && due <= at)
        {
            ExceededAt = due;
        }

        ElapsedBefore += at > SegmentStart ? Calendar.Between(SegmentStart, at) : Duration.Zero;
        SegmentStart = at;
    }

    /// <summary>A threshold already reached when the target changes (or at a zero target's start) is reached now.</summary>
    private void RecordReached(Instant at)
    {
        if (WarningReachedAt is null && ElapsedBefore >= WarningAfter)
        {
            WarningReachedAt = at;
        }

        if (ExceededAt is null && ElapsedBefore >= Target)
        {
            ExceededAt = at;
        }
    }

    private void Retarget(string priority)
    {
        var priorityTerms = terms.For(priority);
        Priority = priority;
        TargetMinutes = priorityTerms.TargetMinutes(Kind);
        CalendarId = priorityTerms.CalendarId;
        Calendar = calendars(CalendarId);
    }

    /// <summary>While running, the instant at which the elapsed business time reaches <paramref name="limit"/>.</summary>
    private Instant Crossing(Duration limit) =>
        ElapsedBefore >= limit ? SegmentStart : Calendar.Add(SegmentStart, limit - ElapsedBefore);

    private void Note(Instant at, string what, string detail)
    {
        var elapsed = ElapsedBefore;
        var remaining = Target - elapsed;
        ledger.Add(new LedgerEntry(at.ToDateTimeOffset(), what, detail, State.ToString(), Priority, TargetMinutes,
            Minutes(elapsed), Minutes(remaining > Duration.Zero ? remaining : Duration.Zero), DueAt?.ToDateTimeOffset()));
    }

    public static double Minutes(Duration d) => Math.Round(d.TotalMinutes, 2);
}
