using MimeKit;

namespace Msp.Mail.Domain;

/// <summary>Recognizes mail no person wrote, which must never open a ticket or be answered (RFC 3834): auto-replies
/// such as out-of-office notes, bulk and list mail, bounces, and our own notifications coming back.</summary>
public static class AutomaticMail
{
    /// <summary>The header every notification of ours carries, with the delivery's id.</summary>
    public const string DeliveryHeader = "X-Msp-Delivery";

    /// <summary>Why <paramref name="message"/> is automatic, or null when a person wrote it.</summary>
    public static string? Why(MimeMessage message, string supportAddress)
    {
        var headers = message.Headers;
        if (headers[DeliveryHeader] is { Length: > 0 })
        {
            return "our own notification came back";
        }

        if (headers[HeaderId.AutoSubmitted] is { Length: > 0 } auto && !auto.Trim().Equals("no", StringComparison.OrdinalIgnoreCase))
        {
            return $"Auto-Submitted: {auto.Trim()}";
        }

        if (headers[HeaderId.Precedence] is { Length: > 0 } precedence &&
            precedence.Trim().ToLowerInvariant() is "bulk" or "junk" or "list" or "auto_reply")
        {
            return $"Precedence: {precedence.Trim()}";
        }

        if (headers["X-Loop"] is { Length: > 0 } loop)
        {
            return $"X-Loop: {loop.Trim()}";
        }

        if (headers["X-Auto-Response-Suppress"] is { Length: > 0 } suppress)
        {
            return $"X-Auto-Response-Suppress: {suppress.Trim()}";
        }

        if (headers[HeaderId.ListId] is { Length: > 0 } || headers["List-Unsubscribe"] is { Length: > 0 })
        {
            return "mailing list";
        }

        var from = message.From.Mailboxes.FirstOrDefault()?.Address ?? "";
        var local = from.Split('@')[0].ToLowerInvariant();
        if (local is "mailer-daemon" or "postmaster" || from.Length == 0 || message.Body is MultipartReport ||
            (message.Headers[HeaderId.ReturnPath] is { } returnPath && returnPath.Trim() == "<>"))
        {
            return "a delivery report (bounce)";
        }

        if (from.Equals(supportAddress, StringComparison.OrdinalIgnoreCase))
        {
            return "sent from the support address itself";
        }

        return null;
    }
}
