namespace Msp.Mail.Domain;

public enum InboundOutcome
{
    NewTicket,
    Reply,
    Unmatched,
    Ignored,
}

/// <summary>A message read from the support mailbox and what became of it. One row per <c>Message-ID</c>, so a message
/// fetched twice is processed once. An unmatched message keeps its raw form until an operator assigns it to a tenant.</summary>
public sealed class InboundMessage
{
    private InboundMessage()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>Null while the message belongs to no tenant (unmatched, or ignored as automatic).</summary>
    public Guid? TenantId { get; private set; }

    public string MessageId { get; private set; } = "";

    public string Sender { get; private set; } = "";

    public string SenderName { get; private set; } = "";

    public string Subject { get; private set; } = "";

    public InboundOutcome Outcome { get; private set; }

    public string? Reason { get; private set; }

    public Guid? TicketId { get; private set; }

    public Guid? AuthorId { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    public DateTimeOffset ProcessedAt { get; private set; }

    public byte[]? Raw { get; private set; }

    public Guid? AssignedBy { get; private set; }

    public DateTimeOffset? AssignedAt { get; private set; }

    public static InboundMessage Read(string messageId, string sender, string senderName, string subject, DateTimeOffset receivedAt, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now), MessageId = messageId, Sender = sender, SenderName = senderName,
        Subject = subject.Length > 500 ? subject[..500] : subject, ReceivedAt = receivedAt, ProcessedAt = now,
    };

    public void Ignore(string reason) => (Outcome, Reason) = (InboundOutcome.Ignored, reason);

    public void Hold(byte[] raw, string reason) => (Outcome, Raw, Reason) = (InboundOutcome.Unmatched, raw, reason);

    public void OpensTicket(Guid tenantId, Guid authorId) => (Outcome, TenantId, AuthorId, Reason) = (InboundOutcome.NewTicket, tenantId, authorId, null);

    public void Replies(Guid tenantId, Guid ticketId, Guid authorId) =>
        (Outcome, TenantId, TicketId, AuthorId, Reason) = (InboundOutcome.Reply, tenantId, ticketId, authorId, null);

    /// <summary>An operator said whose it is: it is processed again as that tenant's, and its raw form is dropped.</summary>
    public void AssignedTo(Guid tenantId, Guid authorId, Guid operatorId, DateTimeOffset now)
    {
        if (Outcome != InboundOutcome.Unmatched)
        {
            throw new InvalidOperationException("Only unmatched mail is assigned.");
        }

        OpensTicket(tenantId, authorId);
        (Raw, AssignedBy, AssignedAt, Reason) = (null, operatorId, now, "Assigned by an operator.");
    }
}
