namespace Msp.Contracts.Tenants;

/// <summary>A client organization was created.</summary>
public sealed record TenantCreated : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required string Name { get; init; }
    public required string Slug { get; init; }
    public required string TimeZone { get; init; }
    public required string Country { get; init; }
    public required string Status { get; init; }

    /// <summary>The tenant's e-mail domains (lowercase, e.g. <c>acme-dental.example</c>): mail from an unknown sender of
    /// one of them opens a ticket as a new requester of this tenant. Absent from older events.</summary>
    public IReadOnlyList<string>? EmailDomains { get; init; }
}

/// <summary>A client organization's details changed. <see cref="Version"/> grows with every change,
/// so consumers can ignore an update older than the one they hold.</summary>
public sealed record TenantUpdated : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required long Version { get; init; }
    public required string Name { get; init; }
    public required string Slug { get; init; }
    public required string TimeZone { get; init; }
    public required string Country { get; init; }
    public required string Status { get; init; }

    /// <summary>The tenant's e-mail domains (lowercase, e.g. <c>acme-dental.example</c>): mail from an unknown sender of
    /// one of them opens a ticket as a new requester of this tenant. Absent from older events.</summary>
    public IReadOnlyList<string>? EmailDomains { get; init; }
}

/// <summary>A client was suspended: its users can no longer sign in or refresh their sessions; its tickets, invoices
/// and contracts stay (decision 0116). A <see cref="TenantUpdated"/> with the same version carries the new status to
/// the services' copies of the tenant.</summary>
public sealed record TenantSuspended : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required long Version { get; init; }
}

/// <summary>A suspended client was reactivated: its users sign in again (decision 0116).</summary>
public sealed record TenantReactivated : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required long Version { get; init; }
}
