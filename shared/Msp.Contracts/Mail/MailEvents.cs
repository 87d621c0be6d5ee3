namespace Msp.Contracts.Mail;

/// <summary>The mail service accepted a mail from the support mailbox: a new ticket for <see cref="AuthorId"/>, or a
/// public reply by them on <see cref="TicketId"/>. The Tickets service makes it so, once (its inbox). Attachments travel
/// inside the event, each at most the mail service's cap (decision 0081); those over it are named in
/// <see cref="OmittedAttachments"/> and the ticket gets a note instead.</summary>
public sealed record InboundMailAccepted : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The mail service's record of the message (its inbound log).</summary>
    public required Guid InboundMessageId { get; init; }

    /// <summary>The message's own <c>Message-ID</c>, without angle brackets.</summary>
    public required string MessageId { get; init; }

    /// <summary><c>NewTicket</c> or <c>Reply</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>For a reply, the ticket it answers (always a ticket of <see cref="IIntegrationEvent.TenantId"/>).</summary>
    public Guid? TicketId { get; init; }

    /// <summary>Who wrote it: the requester of a new ticket, the author of a reply (a client's user, or staff who serve
    /// the tenant).</summary>
    public required Guid AuthorId { get; init; }

    /// <summary><c>ClientUser</c>, <c>ClientAdmin</c> or a staff role: what the author acts as.</summary>
    public required string AuthorRole { get; init; }

    public required string SenderEmail { get; init; }

    public required string Subject { get; init; }

    /// <summary>The text: plain text as sent, or converted from HTML; a reply's quoted history removed.</summary>
    public required string Body { get; init; }

    public required IReadOnlyList<MailAttachment> Attachments { get; init; }

    public required IReadOnlyList<OmittedAttachment> OmittedAttachments { get; init; }

    /// <summary>When the mail server received it (its <c>Date</c>, or when it was fetched).</summary>
    public required DateTimeOffset ReceivedAt { get; init; }
}

public sealed record MailAttachment(string FileName, string ContentType, byte[] Content);

public sealed record OmittedAttachment(string FileName, long SizeBytes, long LimitBytes);

/// <summary>A mail came from an address nobody uses yet, of one of the tenant's e-mail domains: the mail service gave the
/// sender the id <see cref="UserId"/> and opens their ticket with it. The Tenants service creates the user with that
/// id, as a ClientUser, without a password and without an invitation, and announces them (<c>UserInvited</c> without a
/// token) so that every service knows them (decision 0082).</summary>
public sealed record MailSenderAdmitted : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid UserId { get; init; }
    public required string Email { get; init; }
    public required string DisplayName { get; init; }
}
