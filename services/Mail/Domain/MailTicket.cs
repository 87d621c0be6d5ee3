namespace Msp.Mail.Domain;

/// <summary>What the mail service knows of a ticket, from the ticket and SLA events.</summary>
public sealed class MailTicket
{
    private MailTicket()
    {
    }

    public Guid TicketId { get; private set; }

    public Guid TenantId { get; private set; }

    public string Reference { get; private set; } = "";

    public string Subject { get; private set; } = "";

    public Guid RequesterId { get; private set; }

    public Guid? AssigneeId { get; private set; }

    public DateTimeOffset? FirstResponseDueAt { get; private set; }

    public long SlaRevision { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static MailTicket Opened(Guid ticketId, Guid tenantId, string reference, string subject, Guid requesterId, DateTimeOffset now) => new()
    {
        TicketId = ticketId, TenantId = tenantId, Reference = reference, Subject = subject, RequesterId = requesterId, UpdatedAt = now,
    };

    /// <summary>A stand-in for a ticket whose creation has not arrived yet (events may come in any order).</summary>
    public static MailTicket Unknown(Guid ticketId, Guid tenantId, DateTimeOffset now) => Opened(ticketId, tenantId, "", "", Guid.Empty, now);

    public void Learn(string reference, string subject, Guid requesterId, DateTimeOffset now) =>
        (Reference, Subject, RequesterId, UpdatedAt) = (reference, subject, requesterId, now);

    public void Assigned(Guid? assigneeId, DateTimeOffset now) => (AssigneeId, UpdatedAt) = (assigneeId, now);

    /// <summary>Takes the SLA's answer-by time unless a newer revision is held.</summary>
    public bool SlaChanged(long revision, DateTimeOffset? firstResponseDueAt, DateTimeOffset now)
    {
        if (revision <= SlaRevision)
        {
            return false;
        }

        (SlaRevision, FirstResponseDueAt, UpdatedAt) = (revision, firstResponseDueAt, now);
        return true;
    }
}
