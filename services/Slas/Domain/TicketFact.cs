using NodaTime;

namespace Msp.Slas.Domain;

public enum FactKind
{
    Created,
    PriorityChanged,
    StatusChanged,
    StaffReplied,
}

/// <summary>One ticket event that moves the SLA clocks, kept in the order of the ticket's own <see cref="Sequence"/>.
/// The clocks are replayed from these facts every time one arrives, so facts that arrive out of order or twice leave
/// the clocks as if they had come in order once.</summary>
public sealed class TicketFact
{
    private TicketFact()
    {
    }

    public Guid TenantId { get; private set; }

    public Guid TicketId { get; private set; }

    public long Sequence { get; private set; }

    public FactKind Kind { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; }

    /// <summary>The priority the ticket has from this fact on (creation and priority changes).</summary>
    public string? Priority { get; private set; }

    /// <summary>The status the ticket has from this fact on (creation and status changes).</summary>
    public string? Status { get; private set; }

    public Instant At => Instant.FromDateTimeOffset(OccurredAt);

    public static TicketFact Of(Guid tenantId, Guid ticketId, long sequence, FactKind kind, DateTimeOffset at, string? priority = null, string? status = null) => new()
    {
        TenantId = tenantId,
        TicketId = ticketId,
        Sequence = sequence,
        Kind = kind,
        OccurredAt = at.AddTicks(-(at.Ticks % 10)), // as PostgreSQL keeps it: replays from stored and fresh facts agree
        Priority = priority,
        Status = status,
    };
}
