using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace Msp.Testing;

/// <summary>The real mail server tests send to and read from (smtp4dev, started by <c>infra/mail.sh</c>): its SMTP port
/// takes mail as a person's mail program would send it; over IMAP, the user <c>support</c> reads the support mailbox
/// (mail to support*@...) and the user <c>inbox</c> every other address's mail, as a person's mailbox would show it.</summary>
public sealed class MailServer(string dir)
{
    public static MailServer Shared => new(TestServers.MailDir);

    private string[] Ports => File.ReadAllLines(Path.Combine(dir, "ports"));

    public int SmtpPort => int.Parse(Ports[0]);

    public int ImapPort => int.Parse(Ports[1]);

    public int WebPort => int.Parse(Ports[2]);

    public string Password => File.ReadAllText(Path.Combine(dir, "credentials")).Trim();

    /// <summary>The settings a Mail service host needs to send through this server and poll <paramref name="supportAddress"/>
    /// in its support mailbox (shared by every test, so each host takes only mail addressed to its own address).</summary>
    public Dictionary<string, string> SettingsFor(string supportAddress) => new()
    {
        ["Msp:Mail:SupportAddress"] = supportAddress,
        ["Msp:Mail:Smtp:Host"] = "127.0.0.1",
        ["Msp:Mail:Smtp:Port"] = SmtpPort.ToString(),
        ["Msp:Mail:Smtp:Security"] = "None",
        ["Msp:Mail:Imap:Host"] = "127.0.0.1",
        ["Msp:Mail:Imap:Port"] = ImapPort.ToString(),
        ["Msp:Mail:Imap:Security"] = "None",
        ["Msp:Mail:Imap:Username"] = "support",
        ["Msp:Mail:Imap:Password"] = Password,
        ["Msp:Mail:Imap:PollInterval"] = "00:00:00.500",
        ["Msp:Mail:Imap:OnlyAddressedToSupport"] = "true",
        ["Msp:Mail:RetryMinInterval"] = "00:00:00.500",
        ["Msp:Mail:RetryMaxInterval"] = "00:00:02",
        ["Msp:Mail:SendInterval"] = "00:00:00.200",
        ["Msp:Mail:AcknowledgementWait"] = "00:00:01",
    };

    /// <summary>Sends a message through the server's SMTP port, as a person's mail program would.</summary>
    public async Task SendAsync(MimeMessage message)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", SmtpPort, SecureSocketOptions.None);
        await smtp.SendAsync(message);
        await smtp.DisconnectAsync(true);
    }

    /// <summary>Every message in the mailbox of <paramref name="address"/>, read over IMAP.</summary>
    public async Task<List<MimeMessage>> MailOfAsync(string address)
    {
        using var imap = new ImapClient();
        await imap.ConnectAsync("127.0.0.1", ImapPort, SecureSocketOptions.None);
        await imap.AuthenticateAsync(address.StartsWith("support", StringComparison.OrdinalIgnoreCase) ? "support" : "inbox", Password);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var uids = await imap.Inbox.SearchAsync(SearchQuery.ToContains(address));
        var messages = new List<MimeMessage>();
        foreach (var uid in uids)
        {
            var message = await imap.Inbox.GetMessageAsync(uid);
            if (message.To.Mailboxes.Any(m => m.Address.Equals(address, StringComparison.OrdinalIgnoreCase)))
            {
                messages.Add(message);
            }
        }

        await imap.DisconnectAsync(true);
        return messages;
    }

    /// <summary>Waits until <paramref name="address"/> has at least <paramref name="count"/> messages that match, and answers them.</summary>
    public async Task<List<MimeMessage>> WaitForMailAsync(string address, Func<MimeMessage, bool> match, TimeSpan within, int count = 1)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var found = (await MailOfAsync(address)).Where(match).ToList();
            if (found.Count >= count)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new ShouldAssertException($"{address} received {found.Count} matching mail(s) within {within}, expected {count}.");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>A mail from <paramref name="from"/> to <paramref name="to"/>, as a person writes one.</summary>
    public static MimeMessage Mail(string from, string to, string subject, string text, string? html = null, params (string Name, byte[] Content)[] attachments)
    {
        var message = new MimeMessage { Subject = subject, MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("tests.local") };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        var body = new BodyBuilder { TextBody = html is null ? text : null, HtmlBody = html };
        foreach (var (name, content) in attachments)
        {
            body.Attachments.Add(name, content);
        }

        message.Body = body.ToMessageBody();
        return message;
    }
}
