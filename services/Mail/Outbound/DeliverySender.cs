using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Msp.Mail.Domain;
using Msp.Mail.Persistence;

namespace Msp.Mail.Outbound;

/// <summary>Sends the deliveries that are due through the SMTP relay, a batch at a time over one connection. Rows are
/// claimed with <c>FOR UPDATE SKIP LOCKED</c>, so replicas never send the same one. A relay that cannot be reached
/// leaves every delivery pending for its next attempt (the wait doubles); a refusal of the recipient or the message
/// (5xx) keeps the delivery as failed, visible to operators.</summary>
public sealed class DeliverySender(
    IDbContextFactory<MailDb> contexts, IOptions<MailOptions> options, MailTemplates templates, DeliverySignal signal, TimeProvider clock,
    ILogger<DeliverySender> logger) : BackgroundService
{
    public const int BatchSize = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await SendDueAsync(stoppingToken) == BatchSize)
                {
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Sending mail failed; trying again shortly");
            }

            try
            {
                await signal.WaitAsync(options.Value.SendInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sends one batch of due deliveries; answers how many it handled.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.Scope.AllowAll(); // the provider's own work: every tenant's mail
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var due = await db.Deliveries.FromSql($"""
            SELECT * FROM deliveries WHERE status = 'Pending' AND next_attempt_at <= {now}
            ORDER BY next_attempt_at LIMIT {BatchSize} FOR UPDATE SKIP LOCKED
            """).ToListAsync(ct);
        if (due.Count == 0)
        {
            return 0;
        }

        var ticketIds = due.Where(d => d.TicketId is not null).Select(d => d.TicketId!.Value).Distinct().ToArray();
        var tickets = await db.Tickets.AsNoTracking().Where(t => ticketIds.Contains(t.TicketId)).ToDictionaryAsync(t => t.TicketId, ct);
        var o = options.Value;
        using var smtp = new SmtpClient { Timeout = (int)o.Smtp.Timeout.TotalMilliseconds };
        try
        {
            await ConnectAsync(smtp, o.Smtp, ct);
        }
        catch (Exception e) when (e is SocketException or IOException or ProtocolException or SslHandshakeException or AuthenticationException or SmtpCommandException or TimeoutException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("The SMTP relay {Host}:{Port} cannot be used ({Error}); {Count} deliveries wait", o.Smtp.Host, o.Smtp.Port, e.Message, due.Count);
            foreach (var delivery in due)
            {
                delivery.AttemptFailed($"relay unavailable: {e.Message}", permanent: false, clock.GetUtcNow(), o.RetryLimit, o.RetryMinInterval, o.RetryMaxInterval);
            }

            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return due.Count;
        }

        foreach (var delivery in due)
        {
            try
            {
                if (!smtp.IsConnected)
                {
                    await ConnectAsync(smtp, o.Smtp, ct);
                }

                await smtp.SendAsync(Compose(delivery, tickets.GetValueOrDefault(delivery.TicketId ?? Guid.Empty)), ct);
                delivery.Sent(clock.GetUtcNow());
            }
            catch (SmtpCommandException e) when ((int)e.StatusCode >= 500)
            {
                logger.LogWarning("Delivery {DeliveryId} to {Recipient} was refused: {Error}", delivery.Id, delivery.Recipient, e.Message);
                delivery.AttemptFailed($"refused ({(int)e.StatusCode}): {e.Message}", permanent: true, clock.GetUtcNow(), o.RetryLimit, o.RetryMinInterval, o.RetryMaxInterval);
            }
            catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException or TimeoutException)
            {
                delivery.AttemptFailed(e.Message, permanent: false, clock.GetUtcNow(), o.RetryLimit, o.RetryMinInterval, o.RetryMaxInterval);
            }
        }

        if (smtp.IsConnected)
        {
            await smtp.DisconnectAsync(quit: true, ct);
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return due.Count;
    }

    private static async Task ConnectAsync(SmtpClient smtp, SmtpOptions o, CancellationToken ct)
    {
        await smtp.ConnectAsync(o.Host, o.Port, o.Security, ct);
        if (o.Username is { Length: > 0 } user)
        {
            await smtp.AuthenticateAsync(user, o.Password ?? "", ct);
        }
    }

    /// <summary>The message for one delivery: our Message-ID, replies to the support address, marked as automatic
    /// (RFC 3834) so that auto-responders stay quiet, threaded per ticket, HTML and plain text.</summary>
    public MimeMessage Compose(Delivery delivery, MailTicket? ticket)
    {
        var o = options.Value;
        var model = new Dictionary<string, string>(delivery.Model);
        if (delivery.Template == Notifications.TicketReceived && ticket?.FirstResponseDueAt is { } answerBy)
        {
            model["answerBy"] = Recipients.Format(answerBy, delivery.Language, model.GetValueOrDefault("timeZone") ?? "UTC");
        }

        var rendered = templates.Render(delivery.Template, delivery.Language, model);
        var message = new MimeMessage { Subject = rendered.Subject, MessageId = delivery.MessageId, Date = clock.GetUtcNow() };
        message.From.Add(new MailboxAddress(o.SenderName, o.SupportAddress));
        message.ReplyTo.Add(new MailboxAddress(o.SenderName, o.SupportAddress));
        message.To.Add(new MailboxAddress(model.GetValueOrDefault("name") is { } name && name != delivery.Recipient ? name : "", delivery.Recipient));
        message.Headers.Add(HeaderId.AutoSubmitted, "auto-generated");
        message.Headers.Add("X-Auto-Response-Suppress", "All");
        message.Headers.Add(AutomaticMail.DeliveryHeader, delivery.Id.ToString());
        if (delivery.TicketId is { } ticketId)
        {
            message.References.Add(ThreadId(ticketId));
        }

        message.Body = new BodyBuilder { TextBody = rendered.Text, HtmlBody = rendered.Html }.ToMessageBody();
        return message;
    }

    /// <summary>The id every mail about one ticket refers to, so that mail programs thread them and a reply names the ticket.</summary>
    public string ThreadId(Guid ticketId) => $"ticket-{ticketId:N}@{(options.Value.SupportAddress.Split('@') is [_, var d] ? d : "msp.local")}";
}
