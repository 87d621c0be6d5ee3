namespace Msp.Billing.Domain;

/// <summary>An SLA policy of the provider as Billing knows it from the Slas service's events: enough to refuse a contract
/// that names a policy that does not exist. The newest event wins; a deletion is final (ids are never reused).</summary>
public sealed class SlaPolicy
{
    private SlaPolicy()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = "";

    public bool Deleted { get; private set; }

    public DateTimeOffset ChangedAt { get; private set; }

    public static SlaPolicy Heard(Guid id, string name, DateTimeOffset at) => new() { Id = id, Name = name, ChangedAt = at };

    /// <summary>Takes a creation or a change, unless the policy was deleted or a newer change is known.</summary>
    public void Named(string name, DateTimeOffset at)
    {
        if (!Deleted && at >= ChangedAt)
        {
            (Name, ChangedAt) = (name, at);
        }
    }

    public void Delete(DateTimeOffset at) => (Deleted, ChangedAt) = (true, at > ChangedAt ? at : ChangedAt);
}
