using Msp.Contracts.Tickets;

namespace Msp.Billing.Domain;

/// <summary>A time entry as billing knows it: its latest version (events may arrive out of order; an older version
/// never replaces a newer one), and the order it was first logged in, which decides the order blocks are drawn in.</summary>
public sealed class UsageEntry
{
    private UsageEntry()
    {
    }

    public Guid TimeEntryId { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid TicketId { get; private set; }

    public string TicketReference { get; private set; } = "";

    public Guid TechnicianId { get; private set; }

    public int Minutes { get; private set; }

    public string WorkType { get; private set; } = "";

    public bool Billable { get; private set; }

    public DateOnly WorkDate { get; private set; }

    public long Version { get; private set; }

    public bool Deleted { get; private set; }

    /// <summary>When the entry was first logged (the event's time), whatever version arrived first.</summary>
    public DateTimeOffset LoggedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>An entry heard of for the first time, by whichever of its events came first; no version taken yet.</summary>
    public static UsageEntry New(Guid timeEntryId, Guid tenantId, DateTimeOffset loggedAt, DateTimeOffset now) => new()
    {
        TimeEntryId = timeEntryId, TenantId = tenantId, LoggedAt = loggedAt, UpdatedAt = now,
    };

    /// <summary>Takes the logged entry unless a newer version is already known; answers whether it did.</summary>
    public bool Take(TimeEntryLogged e, DateTimeOffset now) =>
        Take(e.Version, e.OccurredAt, e.TicketId, e.TicketReference, e.TechnicianId, e.Minutes, e.WorkType, e.Billable, e.WorkDate, false, now);

    /// <summary>Takes the change unless a newer version is already known; answers whether it did.</summary>
    public bool Take(TimeEntryChanged e, DateTimeOffset now) =>
        Take(e.Version, e.OccurredAt, e.TicketId, e.TicketReference, e.TechnicianId, e.Minutes, e.WorkType, e.Billable, e.WorkDate, e.Deleted, now);

    private bool Take(long version, DateTimeOffset at, Guid ticketId, string reference, Guid technicianId, int minutes, string workType,
        bool billable, DateOnly workDate, bool deleted, DateTimeOffset now)
    {
        LoggedAt = at < LoggedAt ? at : LoggedAt;
        if (version <= Version)
        {
            return false;
        }

        (Version, TicketId, TicketReference, TechnicianId, Minutes, WorkType, Billable, WorkDate, Deleted, UpdatedAt) =
            (version, ticketId, reference, technicianId, minutes, workType, billable, workDate, deleted, now);
        return true;
    }
}

/// <summary>An SLA breach as billing records it, for the credit on the period's invoice. One per ticket clock.</summary>
public sealed record SlaBreachRecord(Guid TicketId, string Clock, Guid TenantId, string? TicketReference, string Priority, DateTimeOffset DueAt, DateTimeOffset RecordedAt);
