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

    /// <summary>The invitation's single-use token, for the mail that carries the link (<c>/account/accept?token=...</c>).
    /// A re-sent invitation publishes this event again with a new token; the older one no longer works.</summary>
    public string? InvitationToken { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }
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

/// <summary>A deactivated user may sign in again. A reactivation older than the deactivation it would undo changes
/// nothing; tokens issued before it stay refused (they predate the deactivation).</summary>
public sealed record UserReactivated : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid UserId { get; init; }
}

/// <summary>A user changed their profile. Copies of the user take it unless they hold a newer one
/// (<see cref="IIntegrationEvent.OccurredAt"/> orders them). <see cref="Language"/> (en, fr, it) and
/// <see cref="TimeZone"/> (IANA) are the values in effect, defaults included.</summary>
public sealed record UserProfileChanged : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid UserId { get; init; }
    public required string Email { get; init; }
    public required string DisplayName { get; init; }
    public required string Language { get; init; }
    public required string TimeZone { get; init; }
}

/// <summary>A user's role changed (so far: a member of staff's). Tokens issued before
/// <see cref="IIntegrationEvent.OccurredAt"/> carry the old role, so services refuse them and the user refreshes.</summary>
public sealed record UserRoleChanged : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid UserId { get; init; }
    public required string Role { get; init; }
}

/// <summary>A user asked to reset their password (or someone allowed to asked for them). For the mail service: the
/// link is <c>/account/reset?token=...</c>; the token works once, until <see cref="ExpiresAt"/>.</summary>
public sealed record PasswordResetRequested : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid UserId { get; init; }
    public required string Email { get; init; }
    public required string DisplayName { get; init; }
    public required string Language { get; init; }
    public required string ResetToken { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
}
