using MailKit.Security;

namespace Msp.Mail;

/// <summary>The mail service's settings (<c>Msp:Mail</c>): where mail goes out and comes in, and what links point at.</summary>
public sealed class MailOptions
{
    public const string Section = "Msp:Mail";

    /// <summary>The portal every link in a mail points at (<c>/account/accept</c>, <c>/account/reset</c>,
    /// <c>/portal/tickets/{id}</c>: see <see cref="Outbound.PortalPages"/>).</summary>
    public string PortalUrl { get; set; } = "http://127.0.0.1:8080";

    /// <summary>The support address: the sender of every notification, where replies go, and what the support mailbox reads.</summary>
    public string SupportAddress { get; set; } = "support@msp.local";

    public string SenderName { get; set; } = "Msp Support";

    public SmtpOptions Smtp { get; set; } = new();

    public ImapOptions Imap { get; set; } = new();

    /// <summary>The largest attachment of an inbound mail that goes onto the ticket; larger ones are left out with a note.</summary>
    public long MaxAttachmentBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>How long the acknowledgement of a new ticket waits for the SLA's answer-by time before it goes without it.</summary>
    public TimeSpan AcknowledgementWait { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Sending retries: first after <see cref="RetryMinInterval"/>, doubling up to <see cref="RetryMaxInterval"/>;
    /// after <see cref="RetryLimit"/> failed attempts a delivery is kept as failed.</summary>
    public int RetryLimit { get; set; } = 12;

    public TimeSpan RetryMinInterval { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the sender looks for due deliveries when nothing woke it.</summary>
    public TimeSpan SendInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>The relay the platform sends through. <see cref="Security"/> is MailKit's <see cref="SecureSocketOptions"/>:
/// <c>None</c>, <c>StartTls</c>, <c>StartTlsWhenAvailable</c>, <c>SslOnConnect</c> or <c>Auto</c>.</summary>
public sealed class SmtpOptions
{
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 25;

    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTlsWhenAvailable;

    /// <summary>Empty: no authentication.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>The support mailbox the platform reads. Polling is off while <see cref="Host"/> is empty.</summary>
public sealed class ImapOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 143;

    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTlsWhenAvailable;

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string Folder { get; set; } = "INBOX";

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Only mail addressed (To) to the support address is taken, and the rest left untouched: for a mailbox
    /// that other addresses share (the tests' mail server holds every test's support address in one mailbox).</summary>
    public bool OnlyAddressedToSupport { get; set; }
}
