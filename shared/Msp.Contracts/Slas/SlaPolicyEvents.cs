namespace Msp.Contracts.Slas;

/// <summary>An SLA policy of the provider was created. Policies belong to no tenant: these events carry
/// <see cref="Provider.TenantId"/>. Billing keeps the policies it hears of, so that a contract can only name one that
/// exists.</summary>
public sealed record SlaPolicyCreated : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid PolicyId { get; init; }
    public required string Name { get; init; }
}

/// <summary>An SLA policy was changed (its name, targets, calendar or warning threshold).</summary>
public sealed record SlaPolicyChanged : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid PolicyId { get; init; }
    public required string Name { get; init; }
}

/// <summary>An SLA policy was deleted; its id is never used again.</summary>
public sealed record SlaPolicyDeleted : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid PolicyId { get; init; }
}
