namespace Msp.Contracts.Slas;

/// <summary>What every event about one SLA clock carries. <see cref="Clock"/> is <c>FirstResponse</c> or
/// <c>Resolution</c>; minutes are business minutes in the clock's calendar.</summary>
public interface ISlaClockEvent : IIntegrationEvent
{
    Guid TicketId { get; }

    string Clock { get; }
}

/// <summary>A clock reached its policy's warning threshold (for example 75 % of its target). Once per clock.</summary>
public sealed record SlaWarning : ISlaClockEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid TicketId { get; init; }
    public required string Clock { get; init; }
    public string? TicketReference { get; init; }
    public required string Priority { get; init; }
    public required Guid PolicyId { get; init; }
    public required int TargetMinutes { get; init; }

    /// <summary>When the threshold was reached.</summary>
    public required DateTimeOffset ReachedAt { get; init; }

    /// <summary>When the target falls due if nothing changes.</summary>
    public DateTimeOffset? DueAt { get; init; }
}

/// <summary>A clock passed its target. Once per clock, whatever happens to the ticket afterwards.</summary>
public sealed record SlaBreached : ISlaClockEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid TicketId { get; init; }
    public required string Clock { get; init; }
    public string? TicketReference { get; init; }
    public required string Priority { get; init; }
    public required Guid PolicyId { get; init; }
    public required int TargetMinutes { get; init; }

    /// <summary>The instant the target was passed: the due instant, or the moment a priority change put it behind.</summary>
    public required DateTimeOffset DueAt { get; init; }
}

/// <summary>A clock stopped within its target (a first public reply, a resolution). Once per clock.</summary>
public sealed record SlaMet : ISlaClockEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid TicketId { get; init; }
    public required string Clock { get; init; }
    public string? TicketReference { get; init; }
    public required string Priority { get; init; }
    public required Guid PolicyId { get; init; }
    public required int TargetMinutes { get; init; }
    public required double ElapsedMinutes { get; init; }
    public required DateTimeOffset StoppedAt { get; init; }
}

/// <summary>The due instants of a ticket's clocks changed (started, paused, resumed, retargeted, stopped). Null means
/// not running. <see cref="Revision"/> grows with every change of the ticket's clocks, so a consumer keeps the newest
/// whatever order they arrive in. <see cref="DueAt"/> is the earliest of the two.</summary>
public sealed record SlaClockChanged : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid TicketId { get; init; }
    public required long Revision { get; init; }
    public DateTimeOffset? FirstResponseDueAt { get; init; }
    public DateTimeOffset? ResolutionDueAt { get; init; }
    public DateTimeOffset? DueAt { get; init; }
}
