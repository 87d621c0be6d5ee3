namespace Msp.Contracts.Tenants;

/// <summary>A service that keeps copies of the tenants and users holds none (it joined a running platform late, or its
/// database was restored or emptied) and asks the Tenants service to announce them all again. Tenants answers with a
/// <see cref="TenantUpdated"/> per tenant at its current version and the user events that rebuild each user's copy, at
/// the instants it holds; every service hears them, and a copy that is current already changes nothing (decision 0128).
/// It is about no one tenant: <see cref="IIntegrationEvent.TenantId"/> is <see cref="Provider.TenantId"/>.</summary>
public sealed record KnownPartiesRequested : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The service that asked (<c>tickets</c>, <c>slas</c>, ...), for the logs.</summary>
    public required string RequestedBy { get; init; }
}
