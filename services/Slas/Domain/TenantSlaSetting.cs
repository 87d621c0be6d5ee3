namespace Msp.Slas.Domain;

/// <summary>Which policy a tenant is on and, optionally, the calendar its business hours are counted in. No row, or a
/// null policy, means the default policy; a null calendar means the policy's own.</summary>
public sealed class TenantSlaSetting
{
    private TenantSlaSetting()
    {
    }

    public Guid TenantId { get; private set; }

    public Guid? PolicyId { get; private set; }

    public Guid? CalendarId { get; private set; }

    /// <summary>Where the policy came from: <c>Operator</c>, <c>Default</c>, or the contract that named it
    /// (<see cref="ContractSource"/>).</summary>
    public string Source { get; private set; } = "Operator";

    public DateTimeOffset UpdatedAt { get; private set; }

    public static string ContractSource(Guid contractId) => $"Contract {contractId}";

    public static TenantSlaSetting For(Guid tenantId) => new() { TenantId = tenantId };

    public void Set(Guid? policyId, Guid? calendarId, string source, DateTimeOffset now)
    {
        PolicyId = policyId;
        CalendarId = calendarId;
        Source = source;
        UpdatedAt = now;
    }
}
