namespace Msp.Mail.Domain;

/// <summary>A mailbox polled over IMAP and how far it was read: messages above <see cref="LastUid"/> are new while the
/// server's <see cref="UidValidity"/> holds; when it changes, the mailbox is read from the start again (the
/// <c>Message-ID</c> keeps a message from being processed twice).</summary>
public sealed class Mailbox
{
    private Mailbox()
    {
    }

    public string Name { get; private set; } = "";

    public long UidValidity { get; private set; }

    public long LastUid { get; private set; }

    public DateTimeOffset? PolledAt { get; private set; }

    public static Mailbox Named(string name) => new() { Name = name };

    /// <summary>The last UID already read, given the server's UIDVALIDITY now.</summary>
    public long ReadUpTo(long uidValidity)
    {
        if (uidValidity != UidValidity)
        {
            (UidValidity, LastUid) = (uidValidity, 0);
        }

        return LastUid;
    }

    public void Read(long uid, DateTimeOffset now) => (LastUid, PolledAt) = (Math.Max(LastUid, uid), now);

    public void Polled(DateTimeOffset now) => PolledAt = now;
}
