namespace Msp.Contracts;

/// <summary>What every integration event carries. Fields are only ever added, never renamed or removed.</summary>
public interface IIntegrationEvent
{
    /// <summary>Unique per event; consumers deduplicate on it.</summary>
    Guid EventId { get; }

    /// <summary>The tenant the event is about; consumers take their scope from it. Events about the provider's own
    /// staff, who belong to no tenant, carry <see cref="Provider.TenantId"/>.</summary>
    Guid TenantId { get; }

    DateTimeOffset OccurredAt { get; }
}

/// <summary>The provider itself, in events about its staff.</summary>
public static class Provider
{
    public static readonly Guid TenantId = Guid.Empty;
}
