namespace Msp.Contracts;

/// <summary>What every integration event carries. Fields are only ever added, never renamed or removed.</summary>

public interface IIntegrationEvent
{
    /// <summary>Unique per event; consumers deduplicate on it.</summary>
    Guid EventId { get; }

    /// <summary>The tenant the event is about; consumers take their scope from it.</summary>
    Guid TenantId { get; }

    DateTimeOffset OccurredAt { get; }
}
