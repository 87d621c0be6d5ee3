using Msp.Contracts;
using Msp.Contracts.Slas;

namespace Msp.Slas.Domain;

/// <summary>What Slas knows of a ticket: who it is for, the terms it was opened under (null until its creation
/// arrives), and the due instants last announced to Tickets.</summary>
public sealed class SlaTicket
{
    private SlaTicket()
    {
    }

    public Guid TicketId { get; private set; }

    public Guid TenantId { get; private set; }

    public string? Reference { get; private set; }

    public Guid? RequesterId { get; private set; }

    /// <summary>Who opened the ticket (the requester, or staff for them); null for tickets announced before Tickets
    /// said so.</summary>
    public Guid? CreatedBy { get; private set; }

    public DateTimeOffset? OpenedAt { get; private set; }

    public SlaTerms? Terms { get; private set; }

    public long Revision { get; private set; }

    public DateTimeOffset? ResponseDueAt { get; private set; }

    public DateTimeOffset? ResolutionDueAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static SlaTicket Stub(Guid tenantId, Guid ticketId, DateTimeOffset now) => new() { TenantId = tenantId, TicketId = ticketId, UpdatedAt = now };

    public void Open(string reference, Guid requesterId, Guid? createdBy, DateTimeOffset at, SlaTerms terms, DateTimeOffset now)
    {
        Reference = reference;
        RequesterId = requesterId;
        CreatedBy = createdBy;
        OpenedAt = at;
        Terms = terms;
        UpdatedAt = now;
    }

    /// <summary>Whether a client's user may read this ticket's clocks, as Tickets lets them read the ticket: a
    /// ClientUser the tickets they requested or opened, a ClientAdmin every ticket of their tenant (the scope sees to
    /// the tenant).</summary>
    public bool IsVisibleToClient(Guid userId, bool seesWholeTenant) => seesWholeTenant || RequesterId == userId || CreatedBy == userId;

    /// <summary>Announces the running clocks' due instants when they differ from the last announcement.</summary>
    public SlaClockChanged? Announce(DateTimeOffset? responseDue, DateTimeOffset? resolutionDue, DateTimeOffset now)
    {
        if (Revision > 0 && responseDue == ResponseDueAt && resolutionDue == ResolutionDueAt)
        {
            return null;
        }

        Revision++;
        ResponseDueAt = responseDue;
        ResolutionDueAt = resolutionDue;
        UpdatedAt = now;
        return new SlaClockChanged
        {
            EventId = EventIds.New(),
            TenantId = TenantId,
            OccurredAt = now,
            TicketId = TicketId,
            Revision = Revision,
            FirstResponseDueAt = responseDue,
            ResolutionDueAt = resolutionDue,
            DueAt = (responseDue, resolutionDue) switch
            {
                ({ } a, { } b) => a < b ? a : b,
                _ => responseDue ?? resolutionDue,
            },
        };
    }
}
