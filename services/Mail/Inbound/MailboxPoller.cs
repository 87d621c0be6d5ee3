using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Msp.Mail.Domain;
using Msp.Mail.Persistence;

namespace Msp.Mail.Inbound;

/// <summary>Reads the support mailbox over IMAP every <see cref="ImapOptions.PollInterval"/>: each message above the last
/// UID read goes through the <see cref="InboundProcessor"/>, is flagged seen, and the mailbox's progress is saved after
/// each one. A failure stops the round and the next round starts where it stopped; the Message-ID keeps a message that
/// is read twice from counting twice. With several replicas, one reads a mailbox at a time: a round holds a PostgreSQL
/// advisory lock named after the mailbox, and a replica that cannot take it skips its round.</summary>
public sealed class MailboxPoller(
    IDbContextFactory<MailDb> contexts, InboundProcessor processor, IOptions<MailOptions> options, TimeProvider clock, ILogger<MailboxPoller> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrEmpty(options.Value.Imap.Host))
        {
            logger.LogInformation("No support mailbox configured (Msp:Mail:Imap:Host); inbound mail is off");
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PollOnceAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Reading the support mailbox failed ({Error}); trying again in {Interval}", e.Message, options.Value.Imap.PollInterval);
            }

            try
            {
                await Task.Delay(options.Value.Imap.PollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round: answers how many new messages it processed.</summary>
    public async Task<int> PollOnceAsync(CancellationToken ct)
    {
        var o = options.Value;
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.Scope.AllowAll();
        var key = $"mailbox {o.Imap.Username}@{o.Imap.Host}:{o.Imap.Port}/{o.Imap.Folder}";
        await db.Database.OpenConnectionAsync(ct); // the lock is the session's: it lasts while this connection is held
        if (!await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock(hashtextextended({key}, 0)) AS \"Value\"").SingleAsync(ct))
        {
            logger.LogDebug("Another replica is reading {Mailbox}; this one skips its round", key);
            return 0;
        }

        try
        {
            return await ReadNewMessagesAsync(db, ct);
        }
        finally
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock(hashtextextended({key}, 0))", CancellationToken.None);
        }
    }

    private async Task<int> ReadNewMessagesAsync(MailDb db, CancellationToken ct)
    {
        var o = options.Value;
        using var imap = new ImapClient { Timeout = 60_000 };
        await imap.ConnectAsync(o.Imap.Host!, o.Imap.Port, o.Imap.Security, ct);
        if (o.Imap.Username is { Length: > 0 } user)
        {
            await imap.AuthenticateAsync(user, o.Imap.Password ?? "", ct);
        }

        var folder = string.Equals(o.Imap.Folder, "INBOX", StringComparison.OrdinalIgnoreCase) ? imap.Inbox : await imap.GetFolderAsync(o.Imap.Folder, ct);
        await folder.OpenAsync(FolderAccess.ReadWrite, ct);
        var name = $"{o.Imap.Username}@{o.Imap.Host}:{o.Imap.Port}/{folder.FullName}";
        var mailbox = await db.Mailboxes.FirstOrDefaultAsync(m => m.Name == name, ct);
        if (mailbox is null)
        {
            mailbox = Mailbox.Named(name);
            db.Mailboxes.Add(mailbox);
        }

        var last = mailbox.ReadUpTo(folder.UidValidity);
        // Not a UID range "last+1:*": some servers (smtp4dev among them) expand the range, which costs them the earth.
        // The UIDs of what is there are few numbers; those above the last one read are new.
        SearchQuery query = o.Imap.OnlyAddressedToSupport
            ? SearchQuery.ToContains(o.SupportAddress)
            : SearchQuery.All;
        var uids = (await folder.SearchAsync(query, ct)).Where(u => u.Id > last).OrderBy(u => u.Id).ToList();
        var processed = 0;
        foreach (var uid in uids)
        {
            var message = await folder.GetMessageAsync(uid, ct);
            using var raw = new MemoryStream();
            await message.WriteToAsync(raw, ct);
            await processor.ProcessAsync(message, raw.ToArray(), ct);
            await folder.AddFlagsAsync(uid, MessageFlags.Seen, silent: true, ct);
            mailbox.Read(uid.Id, clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            processed++;
        }

        mailbox.Polled(clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        await imap.DisconnectAsync(quit: true, ct);
        return processed;
    }
}
