namespace Msp.Contracts.Billing;

/// <summary>A tenant's contract took effect. <see cref="SlaPolicyId"/>, when set, is the SLA policy the contract sells:
/// the Slas service puts the tenant on it.</summary>
public sealed record ContractActivated : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid ContractId { get; init; }

    /// <summary><c>ManagedServices</c>, <c>BlockHours</c> or <c>TimeAndMaterials</c>.</summary>
    public required string Kind { get; init; }

    public required DateOnly StartsOn { get; init; }
    public DateOnly? EndsOn { get; init; }
    public Guid? SlaPolicyId { get; init; }
}

/// <summary>A tenant's contract ended (its end date passed, or it was terminated).</summary>
public sealed record ContractEnded : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid ContractId { get; init; }
    public required DateOnly EndedOn { get; init; }
}
