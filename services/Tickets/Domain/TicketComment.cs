namespace Msp.Tickets.Domain;

/// <summary>A public reply or an internal note. Internal notes are never shown to client roles.</summary>
public sealed class TicketComment
{
    private TicketComment()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid TicketId { get; private set; }

    public Guid AuthorId { get; private set; }

    public bool ByStaff { get; private set; }

    public Visibility Visibility { get; private set; }

    public string Body { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    internal static TicketComment New(Ticket ticket, string body, Visibility visibility, Actor actor, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now), TenantId = ticket.TenantId, TicketId = ticket.Id, AuthorId = actor.Id, ByStaff = actor.IsStaff,
        Visibility = visibility, Body = body, CreatedAt = now,
    };
}

/// <summary>A file on a ticket (or on one of its comments), stored per tenant outside the database.</summary>
public sealed class TicketAttachment
{
    private TicketAttachment()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid TicketId { get; private set; }

    public Guid? CommentId { get; private set; }

    public string FileName { get; private set; } = "";

    public string ContentType { get; private set; } = "";

    public long SizeBytes { get; private set; }

    public string Sha256 { get; private set; } = "";

    public Visibility Visibility { get; private set; }

    public Guid UploadedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static TicketAttachment For(
        Ticket ticket, Guid id, Guid? commentId, string fileName, string contentType, long size, string sha256, Visibility visibility, Actor actor, DateTimeOffset now)
    {
        if (actor.IsClient && visibility == Visibility.Internal)
        {
            throw new TicketRuleException("visibility", "Internal attachments are for staff.", forbidden: true);
        }

        return new()
        {
            Id = id, TenantId = ticket.TenantId, TicketId = ticket.Id, CommentId = commentId, FileName = fileName, ContentType = contentType,
            SizeBytes = size, Sha256 = sha256, Visibility = visibility, UploadedBy = actor.Id, CreatedAt = now,
        };
    }
}
