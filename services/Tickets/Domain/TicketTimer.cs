namespace Msp.Tickets.Domain;

/// <summary>A member of staff's stopwatch on one ticket, kept on the server so that it survives a reload, a second tab
/// or another device: started, paused and resumed any number of times, and stopped into a time entry. One per ticket
/// and technician.</summary>
public sealed class TicketTimer
{
    private TicketTimer()
    {
    }

    public Guid TenantId { get; private set; }

    public Guid TicketId { get; private set; }

    public Guid TechnicianId { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>When the running stretch began; null while paused.</summary>
    public DateTimeOffset? RunningSince { get; private set; }

    /// <summary>The time counted before the running stretch (the stretches before the last pause).</summary>
    public TimeSpan ElapsedBefore { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public uint RowVersion { get; private set; }

    public bool IsRunning => RunningSince is not null;

    public static TicketTimer Start(Ticket ticket, Actor actor, DateTimeOffset now)
    {
        if (!actor.IsStaff)
        {
            throw new TicketRuleException("timer", "Only staff time their work.", forbidden: true);
        }

        if (ticket.Status == TicketStatus.Cancelled)
        {
            throw new TicketRuleException("status", "Time is not logged on a cancelled ticket.");
        }

        return new TicketTimer
        {
            TenantId = ticket.TenantId, TicketId = ticket.Id, TechnicianId = actor.Id, StartedAt = now, RunningSince = now, UpdatedAt = now,
        };
    }

    /// <summary>Counts the running stretch and stops counting; pausing a paused timer changes nothing.</summary>
    public void Pause(DateTimeOffset now)
    {
        if (RunningSince is { } since)
        {
            (ElapsedBefore, RunningSince, UpdatedAt) = (ElapsedBefore + Stretch(since, now), null, now);
        }
    }

    /// <summary>Counts again from now; resuming a running timer changes nothing.</summary>
    public void Resume(DateTimeOffset now)
    {
        if (RunningSince is null)
        {
            (RunningSince, UpdatedAt) = (now, now);
        }
    }

    public TimeSpan ElapsedAt(DateTimeOffset now) => ElapsedBefore + (RunningSince is { } since ? Stretch(since, now) : TimeSpan.Zero);

    /// <summary>The whole minutes a time entry records for <paramref name="elapsed"/>: started minutes count, and at
    /// least one (an entry is 1 to 1,440 minutes).</summary>
    public static int MinutesFor(TimeSpan elapsed) => (int)Math.Clamp(Math.Ceiling(elapsed.TotalMinutes), 1, 24 * 60);

    // A clock set back between two calls must not make time negative.
    private static TimeSpan Stretch(DateTimeOffset from, DateTimeOffset to) => to > from ? to - from : TimeSpan.Zero;
}
