namespace Msp.Tickets.Domain;

/// <summary>What a ticket can be about: the provider's list, shared by every tenant. A retired category stays on the
/// tickets that have it, but cannot be chosen for a ticket any more.</summary>
public sealed class TicketCategory
{
    private TicketCategory()
    {
    }

    public string Key { get; private set; } = "";

    public string Name { get; private set; } = "";

    public bool IsActive { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static TicketCategory New(string key, string name, DateTimeOffset now) =>
        new() { Key = key, Name = name, IsActive = true, CreatedAt = now, UpdatedAt = now };

    /// <summary>Renames, retires or reinstates the category (what is null stays as it is).</summary>
    public void Change(string? name, bool? retired, DateTimeOffset now)
    {
        (Name, IsActive) = (name ?? Name, retired is { } r ? !r : IsActive);
        UpdatedAt = now;
    }
}

/// <summary>A team that works tickets (service desk, field service, projects). A retired queue stays on the tickets
/// that have it, but no ticket can be put in it any more.</summary>
public sealed class TicketQueue
{
    private TicketQueue()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = "";

    public bool IsActive { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static TicketQueue New(string name, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), Name = name, IsActive = true, CreatedAt = now, UpdatedAt = now };

    /// <summary>Renames, retires or reinstates the queue (what is null stays as it is).</summary>
    public void Change(string? name, bool? retired, DateTimeOffset now)
    {
        (Name, IsActive) = (name ?? Name, retired is { } r ? !r : IsActive);
        UpdatedAt = now;
    }
}

/// <summary>The first answer to a create carrying an <c>Idempotency-Key</c>: a retry with the same key gets the same ticket.</summary>
public sealed record IdempotencyKey(Guid TenantId, Guid CallerId, string Key, string RequestHash, Guid TicketId, DateTimeOffset CreatedAt);

/// <summary>The due instant the Slas service last announced for a ticket (<c>SlaClockChanged</c>), written by
/// <c>SlaDueConsumer</c>: only a newer <see cref="Revision"/> replaces an older one.</summary>
public sealed class TicketSlaDue
{
    private TicketSlaDue()
    {
    }

    public Guid TicketId { get; private set; }

    public Guid TenantId { get; private set; }

    public long Revision { get; private set; }

    public DateTimeOffset? DueAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }
}
