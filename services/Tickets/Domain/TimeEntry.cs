using Msp.Contracts;
using Msp.Contracts.Tickets;

namespace Msp.Tickets.Domain;

/// <summary>Time a member of staff spent on a ticket. Edits and deletions keep history on the ticket and announce the
/// entry's new state with a higher <see cref="Version"/>; a deleted entry stays, marked, so billing can reverse it.</summary>
public sealed class TimeEntry
{
    private TimeEntry()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid TicketId { get; private set; }

    public Guid TechnicianId { get; private set; }

    public int Minutes { get; private set; }

    public string WorkType { get; private set; } = "";

    public bool Billable { get; private set; }

    public string? Note { get; private set; }

    public DateOnly WorkDate { get; private set; }

    public long Version { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? DeletedAt { get; private set; }

    public static TimeEntry Log(Ticket ticket, TimeDraft draft, Actor actor, DateTimeOffset now)
    {
        if (!actor.IsStaff)
        {
            throw new TicketRuleException("minutes", "Only staff log time.", forbidden: true);
        }

        if (ticket.Status == TicketStatus.Cancelled)
        {
            throw new TicketRuleException("status", "Time is not logged on a cancelled ticket.");
        }

        var entry = new TimeEntry
        {
            Id = Guid.CreateVersion7(now), TenantId = ticket.TenantId, TicketId = ticket.Id, TechnicianId = actor.Id, Version = 1,
            CreatedAt = now, UpdatedAt = now,
        };
        entry.Apply(draft);
        ticket.RecordTime(actor, now, "TimeLogged", null, entry.Describe());
        ticket.Raise(new TimeEntryLogged
        {
            EventId = EventIds.New(), TenantId = ticket.TenantId, OccurredAt = now, TimeEntryId = entry.Id, TicketId = ticket.Id,
            TicketReference = ticket.Reference, TechnicianId = entry.TechnicianId, Minutes = entry.Minutes, WorkType = entry.WorkType,
            Billable = entry.Billable, WorkDate = entry.WorkDate, Version = entry.Version,
        });
        return entry;
    }

    /// <summary>Replaces the entry's details. Its author and operators or admins may change it.</summary>
    public void Change(Ticket ticket, TimeDraft draft, Actor actor, DateTimeOffset now)
    {
        EnsureChangeableBy(actor);
        var before = Describe();
        Apply(draft);
        if (Describe() == before)
        {
            return;
        }

        Version++;
        UpdatedAt = now;
        ticket.RecordTime(actor, now, "TimeChanged", before, Describe());
        ticket.Raise(Changed(ticket, now));
    }

    public void Delete(Ticket ticket, Actor actor, DateTimeOffset now)
    {
        EnsureChangeableBy(actor);
        Version++;
        (DeletedAt, UpdatedAt) = (now, now);
        ticket.RecordTime(actor, now, "TimeDeleted", Describe(), null);
        ticket.Raise(Changed(ticket, now));
    }

    private void EnsureChangeableBy(Actor actor)
    {
        if (DeletedAt is not null)
        {
            throw new TicketRuleException("timeEntry", "The time entry was deleted.");
        }

        if (actor.Id != TechnicianId && actor.Role is not (Msp.ServiceDefaults.Identity.MspRoles.Operator or Msp.ServiceDefaults.Identity.MspRoles.Admin))
        {
            throw new TicketRuleException("timeEntry", "Only the entry's author, an operator or an admin changes a time entry.", forbidden: true);
        }
    }

    private TimeEntryChanged Changed(Ticket ticket, DateTimeOffset now) => new()
    {
        EventId = EventIds.New(), TenantId = TenantId, OccurredAt = now, TimeEntryId = Id, TicketId = TicketId, TicketReference = ticket.Reference,
        TechnicianId = TechnicianId, Minutes = Minutes, WorkType = WorkType, Billable = Billable, WorkDate = WorkDate, Version = Version,
        Deleted = DeletedAt is not null,
    };

    private void Apply(TimeDraft draft) =>
        (Minutes, WorkType, Billable, Note, WorkDate) = (draft.Minutes, draft.WorkType, draft.Billable, draft.Note, draft.WorkDate);

    private string Describe() => $"{Minutes} min {WorkType}{(Billable ? " billable" : "")} on {WorkDate:yyyy-MM-dd}{(Note is null ? "" : $": {Note}")}";
}

public sealed record TimeDraft(int Minutes, string WorkType, bool Billable, string? Note, DateOnly WorkDate);
