namespace Msp.Contracts.Tickets;

/// <summary>What every ticket event carries besides the tenant. <see cref="Sequence"/> grows by one with every event
/// of the same ticket, so a consumer can tell an old event from a new one whatever order they arrive in. No ticket
/// event carries the text of a comment: clients may read these events' effects, and internal notes stay inside Tickets.</summary>
public interface ITicketEvent : IIntegrationEvent
{
    Guid TicketId { get; }

    long Sequence { get; }
}

/// <summary>A ticket was opened. <see cref="Reference"/> is the number as people read it, e.g. <c>ACME-42</c>.</summary>
public sealed record TicketCreated : ITicketEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid TicketId { get; init; }
    public required long Sequence { get; init; }
    public required long Number { get; init; }
    public required string Reference { get; init; }
    public required string Priority { get; init; }
    public required string Status { get; init; }
    public required string Source { get; init; }
    public required Guid RequesterId { get; init; }
    public string? Category { get; init; }

    /// <summary>Who opened the ticket (the requester, or staff opening it for them); a ClientUser sees the tickets
    /// they requested or opened. Absent from events published before it was added.</summary>
    public Guid? CreatedBy { get; init; }
}

public sealed record TicketPriorityChanged : ITicketEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid TicketId { get; init; }
    public required long Sequence { get; init; }
    public required string From { get; init; }
    public required string To { get; init; }
}

/// <summary>Every change of status, whatever caused it (the resolve, reopen and close events follow their own).</summary>
public sealed record TicketStatusChanged : ITicketEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid TicketId { get; init; }
    public required long Sequence { get; init; }
    public required string From { get; init; }
    public required string To { get; init; }
}

public sealed record TicketAssigned : ITicketEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid TicketId { get; init; }
    public required long Sequence { get; init; }
    public Guid? AssigneeId { get; init; }
    public Guid? QueueId { get; init; }
}

/// <summary>A member of staff replied publicly. <see cref="IsFirstResponse"/> marks the first such reply: the SLA's
/// first response. Internal notes never produce this event.</summary>
public sealed record TicketRepliedByStaff : ITicketEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid TicketId { get; init; }
    public required long Sequence { get; init; }
    public required Guid CommentId { get; init; }
    public required Guid AuthorId { get; init; }
    public required bool IsFirstResponse { get; init; }
}

public sealed record TicketResolved : ITicketEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid TicketId { get; init; }
    public required long Sequence { get; init; }
}

public sealed record TicketReopened : ITicketEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid TicketId { get; init; }
    public required long Sequence { get; init; }
}

public sealed record TicketClosed : ITicketEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid TicketId { get; init; }
    public required long Sequence { get; init; }
}

/// <summary>Time was logged on a ticket. <see cref="Version"/> starts at 1; each <see cref="TimeEntryChanged"/> of the
/// same entry carries the next one, so billing keeps the newest whatever the arrival order.</summary>
public sealed record TimeEntryLogged : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid TimeEntryId { get; init; }
    public required Guid TicketId { get; init; }
    public required string TicketReference { get; init; }
    public required Guid TechnicianId { get; init; }
    public required int Minutes { get; init; }
    public required string WorkType { get; init; }
    public required bool Billable { get; init; }
    public required DateOnly WorkDate { get; init; }
    public required long Version { get; init; }
}

/// <summary>A time entry was edited or deleted (<see cref="Deleted"/>: its minutes no longer count).</summary>
public sealed record TimeEntryChanged : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid TimeEntryId { get; init; }
    public required Guid TicketId { get; init; }
    public required string TicketReference { get; init; }
    public required Guid TechnicianId { get; init; }
    public required int Minutes { get; init; }
    public required string WorkType { get; init; }
    public required bool Billable { get; init; }
    public required DateOnly WorkDate { get; init; }
    public required long Version { get; init; }
    public required bool Deleted { get; init; }
}
