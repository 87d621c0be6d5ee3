using System.Security.Cryptography;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Msp.Contracts.Mail;
using Msp.Messaging;
using Msp.ServiceDefaults.Identity;
using Msp.KnownParties;
using Msp.Tickets.Domain;
using Msp.Tickets.Persistence;

namespace Msp.Tickets.Features.InboundMail;

/// <summary>Makes what the mail service accepted from the support mailbox so: a new ticket (source <c>Email</c>) for the
/// sender, or their public reply on the ticket the mail answered, each with the mail's attachments stored as the
/// ticket's own. Once per event (the inbox), in the event's tenant only. An attachment the mail service left out over
/// its cap is named in a note, as is one over this service's own cap. A reply that the ticket can no longer take (it
/// is closed) opens a new ticket instead.</summary>
public sealed class InboundMailConsumer(TicketsDb db, IOptions<TicketsOptions> options, TimeProvider clock, ILogger<InboundMailConsumer> logger)
    : IConsumer<InboundMailAccepted>
{
    public Task Consume(ConsumeContext<InboundMailAccepted> context) => db.ProcessOnceAsync(context.Message, "tickets.inbound-mail", async ct =>
    {
        var m = context.Message;
        var role = MspRoles.All.Contains(m.AuthorRole) ? m.AuthorRole : MspRoles.ClientUser;
        var actor = new Actor(m.AuthorId, role, role is MspRoles.ClientUser or MspRoles.ClientAdmin ? m.TenantId : null);
        var now = clock.GetUtcNow();
        var (kept, notes) = Files(m);
        var body = notes.Count == 0 ? m.Body : m.Body + "\n\n" + string.Join('\n', notes);
        if (m.Kind == "Reply" && m.TicketId is { } ticketId)
        {
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM tickets WHERE id = {ticketId} FOR UPDATE", ct);
            var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.Id == ticketId && t.TenantId == m.TenantId, ct);
            if (ticket is not null)
            {
                try
                {
                    var comment = ticket.Comment(body.Length == 0 ? "(empty reply)" : body, Visibility.Public, actor, now, options.Value.ReopenWindow);
                    db.Comments.Add(comment);
                    await StoreAsync(ticket, comment.Id, kept, actor, now, ct);
                    db.StageChanges(ticket, m.MessageId);
                    return;
                }
                catch (TicketRuleException e)
                {
                    logger.LogInformation("Mail {MessageId} answers ticket {TicketId}, which takes no reply ({Reason}); it opens a new ticket", m.MessageId, ticketId, e.Message);
                }
            }
        }

        var tenant = await db.KnownTenants.AsNoTracking().FirstOrDefaultAsync(t => t.Id == m.TenantId, ct)
            ?? throw new InvalidOperationException($"Tenant {m.TenantId} is not known yet; the mail waits for it (retry).");
        var number = (await db.TakeNumbersAsync(new Dictionary<Guid, int> { [m.TenantId] = 1 }, ct))[m.TenantId];
        var draft = new TicketDraft(m.Subject, body.Length > 20_000 ? body[..20_000] : body, m.AuthorId, TicketSource.Email, null, Level.Medium, Level.Medium);
        var opened = Ticket.Open(m.TenantId, number, tenant.Slug, draft, actor, now);
        db.Tickets.Add(opened);
        await StoreAsync(opened, null, kept, actor, now, ct);
        db.StageChanges(opened, m.MessageId);
    }, context.CancellationToken);

    private (List<MailAttachment> Kept, List<string> Notes) Files(InboundMailAccepted m)
    {
        var cap = options.Value.MaxAttachmentBytes;
        var notes = m.OmittedAttachments.Select(o => $"[The attachment '{o.FileName}' ({o.SizeBytes:N0} bytes) was left out: attachments by mail may be at most {o.LimitBytes:N0} bytes.]").ToList();
        var kept = new List<MailAttachment>();
        foreach (var a in m.Attachments)
        {
            if (a.Content.Length > cap)
            {
                notes.Add($"[The attachment '{a.FileName}' ({a.Content.Length:N0} bytes) was left out: attachments may be at most {cap:N0} bytes.]");
            }
            else
            {
                kept.Add(a);
            }
        }

        return (kept, notes);
    }

    /// <summary>Writes each file where uploads go (<c>{tenant}/{ticket}/{attachment}</c>) and its row.</summary>
    private async Task StoreAsync(Ticket ticket, Guid? commentId, List<MailAttachment> files, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        if (files.Count == 0)
        {
            return;
        }

        var folder = Path.Combine(options.Value.AttachmentsPath, ticket.TenantId.ToString("N"), ticket.Id.ToString("N"));
        Directory.CreateDirectory(folder);
        foreach (var file in files)
        {
            var id = Guid.CreateVersion7(now);
            await File.WriteAllBytesAsync(Path.Combine(folder, id.ToString("N")), file.Content, ct);
            var name = Path.GetFileName(file.FileName);
            db.Attachments.Add(TicketAttachment.For(
                ticket, id, commentId, name.Length > 200 ? name[..200] : name, file.ContentType, file.Content.Length,
                Convert.ToHexStringLower(SHA256.HashData(file.Content)), Visibility.Public, actor, now));
        }
    }
}
