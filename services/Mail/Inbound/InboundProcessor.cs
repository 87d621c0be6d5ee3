using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Msp.Contracts;
using Msp.Contracts.Mail;
using Msp.KnownParties;
using Msp.Mail.Domain;
using Msp.Mail.Persistence;
using Msp.Messaging;
using Msp.ServiceDefaults.Identity;

namespace Msp.Mail.Inbound;

/// <summary>What became of one message read from the support mailbox.</summary>
public sealed record InboundResult(Guid? InboundMessageId, InboundOutcome? Outcome, bool Duplicate, string? Reason = null);

/// <summary>Decides what a message from the support mailbox is, and records it with the event that says so, in one
/// transaction: automatic mail (and our own notifications coming back) is ignored; a known user's mail, or a sender of
/// a tenant's domain, opens a ticket or, when it answers one of that tenant's tickets, replies on it; anyone else's is
/// held as unmatched. A <c>Message-ID</c> is processed once, however often it is fetched.</summary>
public sealed class InboundProcessor(IDbContextFactory<MailDb> contexts, IOptions<MailOptions> options, TimeProvider clock, ILogger<InboundProcessor> logger)
{
    public const int MaxSubjectLength = 200;

    public async Task<InboundResult> ProcessAsync(MimeMessage message, byte[] raw, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.Scope.AllowAll(); // whose mail it is is what this decides; each lookup below names the tenant it may touch
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var messageId = MessageIdOf(message, raw);
        if (await db.InboundMessages.AnyAsync(m => m.MessageId == messageId, ct))
        {
            return new InboundResult(null, null, Duplicate: true);
        }

        var now = clock.GetUtcNow();
        var from = message.From.Mailboxes.FirstOrDefault();
        var sender = MailText.Storable(from?.Address?.Trim().ToLowerInvariant() ?? "");
        var record = InboundMessage.Read(messageId, sender, MailText.Storable(from?.Name ?? ""), MailText.Storable(message.Subject ?? ""), message.Date == default ? now : message.Date, now);
        db.InboundMessages.Add(record);

        var why = AutomaticMail.Why(message, options.Value.SupportAddress);
        if (why is null && await db.Deliveries.AnyAsync(d => d.MessageId == messageId, ct))
        {
            why = "our own notification came back";
        }

        if (why is not null)
        {
            record.Ignore(why);
        }
        else if (await AuthorAsync(db, sender, from?.Name, admit: true, ct) is not { } author)
        {
            record.Hold(raw, "The sender is not a user and their domain belongs to no tenant.");
        }
        else
        {
            await AcceptAsync(db, record, message, author, ct);
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Inbound mail {MessageId} from {Sender}: {Outcome} {Reason}", messageId, sender, record.Outcome, record.Reason);
        return new InboundResult(record.Id, record.Outcome, Duplicate: false, record.Reason);
    }

    /// <summary>An operator assigns an unmatched message to a tenant: its sender becomes (or is) a requester there and the
    /// message opens a ticket. Answers null when the message is not unmatched, or a reason why the sender cannot be
    /// that tenant's requester.</summary>
    public async Task<(InboundMessage? Message, string? Problem)> AssignAsync(MailDb db, Guid inboundId, Guid tenantId, Guid operatorId, CancellationToken ct)
    {
        var record = await db.InboundMessages.FirstOrDefaultAsync(m => m.Id == inboundId && m.Outcome == InboundOutcome.Unmatched, ct);
        if (record?.Raw is not { } raw)
        {
            return (null, null);
        }

        var known = await db.KnownUsers.AsNoTracking().FirstOrDefaultAsync(u => u.Email.ToLower() == record.Sender, ct);
        if (known is not null && known.TenantId != tenantId)
        {
            return (record, "The sender is a user of another tenant or of the staff; their mail cannot become this tenant's.");
        }

        var message = MimeMessage.Load(new MemoryStream(raw));
        var author = known is not null
            ? new Author(known.Id, tenantId, known.Role, IsStaff: false)
            : await AdmitAsync(db, record.Sender, record.SenderName, tenantId, ct);
        record.AssignedTo(tenantId, author.Id, operatorId, clock.GetUtcNow());
        Publish(db, record, message, author, InboundOutcome.NewTicket, null);
        return (record, null);
    }

    private sealed record Author(Guid Id, Guid? TenantId, string Role, bool IsStaff);

    private async Task<Author?> AuthorAsync(MailDb db, string sender, string? name, bool admit, CancellationToken ct)
    {
        if (sender.Length == 0)
        {
            return null;
        }

        var user = await db.KnownUsers.AsNoTracking().Where(u => u.Email.ToLower() == sender && u.DeactivatedAt == null).FirstOrDefaultAsync(ct);
        if (user is not null)
        {
            return new Author(user.Id, user.TenantId, user.Role, user.IsStaff);
        }

        if (await db.AdmittedSenders.AsNoTracking().FirstOrDefaultAsync(s => s.Email == sender, ct) is { } admitted)
        {
            return new Author(admitted.UserId, admitted.TenantId, MspRoles.ClientUser, IsStaff: false);
        }

        var domain = sender.Split('@') is [_, var d] ? d : "";
        var tenants = await db.TenantDomains.AsNoTracking().Where(t => t.Domains.Contains(domain)).Select(t => t.TenantId).ToListAsync(ct);
        if (!admit || tenants.Count != 1)
        {
            return null; // no tenant's domain, or (misconfigured) several: an operator decides
        }

        var tenant = await db.KnownTenants.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tenants[0], ct);
        return tenant is { Status: "Active" } ? await AdmitAsync(db, sender, name, tenant.Id, ct) : null;
    }

    /// <summary>Gives a new sender of the tenant a user id and asks the Tenants service to create them (decision 0082).</summary>
    private async Task<Author> AdmitAsync(MailDb db, string sender, string? name, Guid tenantId, CancellationToken ct)
    {
        if (await db.AdmittedSenders.FirstOrDefaultAsync(s => s.Email == sender, ct) is { } held && held.TenantId == tenantId)
        {
            return new Author(held.UserId, tenantId, MspRoles.ClientUser, IsStaff: false);
        }

        var admitted = AdmittedSender.For(sender, tenantId, clock.GetUtcNow());
        db.AdmittedSenders.Add(admitted);
        db.PublishOnSave(new MailSenderAdmitted
        {
            EventId = EventIds.New(), TenantId = tenantId, OccurredAt = admitted.AdmittedAt, UserId = admitted.UserId, Email = sender,
            DisplayName = string.IsNullOrWhiteSpace(name) ? sender : name.Trim(),
        });
        return new Author(admitted.UserId, tenantId, MspRoles.ClientUser, IsStaff: false);
    }

    private async Task AcceptAsync(MailDb db, InboundMessage record, MimeMessage message, Author author, CancellationToken ct)
    {
        var ticket = await AnsweredTicketAsync(db, message, author, ct);
        if (ticket is not null)
        {
            record.Replies(ticket.TenantId, ticket.TicketId, author.Id);
            Publish(db, record, message, author, InboundOutcome.Reply, ticket.TicketId);
            return;
        }

        if (author.IsStaff)
        {
            record.Hold(await RawAsync(message, ct), "Staff mail that answers none of the tickets they serve.");
            return;
        }

        record.OpensTicket(author.TenantId!.Value, author.Id);
        Publish(db, record, message, author, InboundOutcome.NewTicket, null);
    }

    /// <summary>The ticket the message answers, only among the tickets the author may reply on: their tenant's (a
    /// ClientUser: their own requests), or for staff the tenants they serve. Named by <c>In-Reply-To</c>/<c>References</c>
    /// (a Message-ID we sent, or a ticket's thread id) or else by the reference in the subject.</summary>
    private async Task<MailTicket?> AnsweredTicketAsync(MailDb db, MimeMessage message, Author author, CancellationToken ct)
    {
        var ids = message.References.Append(message.InReplyTo).Where(i => !string.IsNullOrEmpty(i)).Select(i => MailText.Storable(i!.Trim('<', '>'))).Distinct().ToArray();
        var candidates = new List<Guid>();
        foreach (var id in ids)
        {
            if (id.StartsWith("ticket-", StringComparison.Ordinal) && Guid.TryParseExact(id["ticket-".Length..].Split('@')[0], "N", out var threaded))
            {
                candidates.Add(threaded);
            }
        }

        candidates.AddRange(await db.Deliveries.AsNoTracking().Where(d => ids.Contains(d.MessageId) && d.TicketId != null).Select(d => d.TicketId!.Value).ToListAsync(ct));
        var staff = author.IsStaff ? await db.KnownUsers.AsNoTracking().FirstOrDefaultAsync(u => u.Id == author.Id, ct) : null;
        var byThread = await db.Tickets.AsNoTracking().Where(t => candidates.Contains(t.TicketId)).ToListAsync(ct);
        var ticket = byThread.FirstOrDefault(MayReply);
        if (ticket is null && MailText.ReferenceIn(message.Subject) is { } reference)
        {
            var named = await db.Tickets.AsNoTracking().Where(t => t.Reference == reference).ToListAsync(ct);
            ticket = named.FirstOrDefault(MayReply);
        }

        return ticket;

        bool MayReply(MailTicket t) => author.IsStaff
            ? staff?.Serves(t.TenantId) == true
            : t.TenantId == author.TenantId && (author.Role != MspRoles.ClientUser || t.RequesterId == author.Id);
    }

    private void Publish(MailDb db, InboundMessage record, MimeMessage message, Author author, InboundOutcome kind, Guid? ticketId)
    {
        var body = MailText.BodyOf(message);
        if (kind == InboundOutcome.Reply)
        {
            body = MailText.WithoutQuotedHistory(body);
        }

        var cap = options.Value.MaxAttachmentBytes;
        var attachments = new List<MailAttachment>();
        var omitted = new List<OmittedAttachment>();
        foreach (var part in message.Attachments.OfType<MimePart>())
        {
            using var content = new MemoryStream();
            part.Content?.DecodeTo(content);
            var fileName = part.FileName is { Length: > 0 } f && MailText.Storable(Path.GetFileName(f)) is { Length: > 0 } name ? name : "attachment";
            if (content.Length > cap)
            {
                omitted.Add(new OmittedAttachment(fileName, content.Length, cap));
            }
            else
            {
                attachments.Add(new MailAttachment(fileName, part.ContentType.MimeType, content.ToArray()));
            }
        }

        var subject = MailText.Storable(message.Subject ?? "").Trim();
        db.PublishOnSave(new InboundMailAccepted
        {
            EventId = EventIds.New(), TenantId = record.TenantId!.Value, OccurredAt = clock.GetUtcNow(), InboundMessageId = record.Id,
            MessageId = record.MessageId, Kind = kind.ToString(), TicketId = ticketId, AuthorId = author.Id, AuthorRole = author.Role,
            SenderEmail = record.Sender, Subject = subject.Length == 0 ? "(no subject)" : subject.Length > MaxSubjectLength ? subject[..MaxSubjectLength] : subject,
            Body = body.Length > 20_000 ? body[..20_000] : body, Attachments = attachments, OmittedAttachments = omitted, ReceivedAt = record.ReceivedAt,
        });
    }

    private static async Task<byte[]> RawAsync(MimeMessage message, CancellationToken ct)
    {
        using var stream = new MemoryStream();
        await message.WriteToAsync(stream, ct);
        return stream.ToArray();
    }

    /// <summary>The message's own id, or (for a message without one) a hash of its bytes, so a refetch is still known.</summary>
    public static string MessageIdOf(MimeMessage message, byte[] raw) =>
        message.MessageId is { Length: > 0 } id && MailText.Storable(id.Trim('<', '>')) is { Length: > 0 } kept ? kept : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(raw));
}
