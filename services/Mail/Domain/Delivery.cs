using System.Text.Json;

namespace Msp.Mail.Domain;

public enum DeliveryStatus
{
    Pending,
    Sent,
    Failed,
}

/// <summary>One notification to one recipient, sent once: the delivery log's row, keyed by (event, recipient), with the
/// <c>Message-ID</c> it goes out with. A failed attempt is tried again later, doubling the wait; a permanent refusal
/// or too many attempts keeps it as failed, for operators to see.</summary>
public sealed class Delivery
{
    private Delivery()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid EventId { get; private set; }

    public string Recipient { get; private set; } = "";

    public Guid? RecipientUserId { get; private set; }

    public string Template { get; private set; } = "";

    public string Language { get; private set; } = "";

    public Guid? TicketId { get; private set; }

    /// <summary>Without angle brackets: <c>{id}@{support domain}</c>.</summary>
    public string MessageId { get; private set; } = "";

    /// <summary>The template's values (names to text), rendered when sent.</summary>
    public Dictionary<string, string> Model { get; private set; } = [];

    public DeliveryStatus Status { get; private set; }

    public int Attempts { get; private set; }

    public DateTimeOffset? NextAttemptAt { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? SentAt { get; private set; }

    public static Delivery For(
        Guid tenantId, Guid eventId, Recipient recipient, string template, Guid? ticketId, Dictionary<string, string> model, string domain,
        DateTimeOffset now, DateTimeOffset? notBefore = null)
    {
        var id = Guid.CreateVersion7(now);
        return new Delivery
        {
            Id = id, TenantId = tenantId, EventId = eventId, Recipient = recipient.Email.Trim().ToLowerInvariant(), RecipientUserId = recipient.UserId,
            Template = template, Language = Notifications.LanguageOrDefault(recipient.Language), TicketId = ticketId,
            MessageId = $"{id:N}@{domain}", Model = model, Status = DeliveryStatus.Pending, NextAttemptAt = notBefore ?? now, CreatedAt = now,
        };
    }

    public void Sent(DateTimeOffset now) => (Status, SentAt, NextAttemptAt, LastError, Attempts) = (DeliveryStatus.Sent, now, null, null, Attempts + 1);

    /// <summary>Records a failed attempt: tried again after a doubling wait, or kept as failed when the failure is
    /// permanent (the server refused the recipient or the message) or the attempts are used up.</summary>
    public void AttemptFailed(string error, bool permanent, DateTimeOffset now, int limit, TimeSpan first, TimeSpan max)
    {
        Attempts++;
        LastError = error.Length > 2000 ? error[..2000] : error;
        if (permanent || Attempts >= limit)
        {
            (Status, NextAttemptAt) = (DeliveryStatus.Failed, null);
            return;
        }

        var wait = TimeSpan.FromTicks(Math.Min(max.Ticks, first.Ticks * (1L << Math.Min(Attempts - 1, 30))));
        NextAttemptAt = now + wait;
    }

    /// <summary>An operator sends a failed delivery again (after fixing the relay or the address).</summary>
    public bool Retry(DateTimeOffset now)
    {
        if (Status != DeliveryStatus.Failed)
        {
            return false;
        }

        (Status, NextAttemptAt) = (DeliveryStatus.Pending, now);
        return true;
    }

    /// <summary>Brings a delivery that waits (the acknowledgement waiting for the SLA's answer-by time) forward to now.</summary>
    public void DueNow(DateTimeOffset now)
    {
        if (Status == DeliveryStatus.Pending && NextAttemptAt > now && Attempts == 0)
        {
            NextAttemptAt = now;
        }
    }

    public static string ModelJson(Dictionary<string, string> model) => JsonSerializer.Serialize(model);
}

/// <summary>Who a notification goes to and in which language.</summary>
public sealed record Recipient(string Email, string? Language, Guid? UserId = null, string? Name = null);
