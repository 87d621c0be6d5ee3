namespace Msp.Contracts.Tenants;

/// <summary>A user was invited: a client's employee (<see cref="IIntegrationEvent.TenantId"/> is their tenant) or a
/// member of the provider's staff (<see cref="Provider.TenantId"/>). They become able to sign in when they accept.</summary>
public sealed record UserInvited : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid UserId { get; init; }
    public required string Email { get; init; }
    public required string DisplayName { get; init; }
    public required string Role { get; init; }
}

/// <summary>A user can no longer sign in; every service refuses their tokens from now on.</summary>
public sealed record UserDeactivated : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid UserId { get; init; }
}

/// <summary>The tenants a technician works for were replaced. Tokens issued before <see cref="IIntegrationEvent.OccurredAt"/>
/// carry the old scope, so services refuse them and the technician refreshes.</summary>
public sealed record TechnicianScopeChanged : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid UserId { get; init; }
    public required bool AllTenants { get; init; }
    public required IReadOnlyList<Guid> TenantIds { get; init; }
}
