namespace Msp.Mail.Domain;

/// <summary>Every notification the platform mails, by template name. Essential ones always go out; a user may turn the
/// others off (decision 0083).</summary>
public static class Notifications
{
    public const string Invitation = "invitation";
    public const string PasswordReset = "password-reset";
    public const string TicketReceived = "ticket-received";
    public const string StaffReply = "staff-reply";
    public const string ClientReply = "client-reply";
    public const string TicketAssigned = "ticket-assigned";
    public const string SlaWarning = "sla-warning";
    public const string SlaBreached = "sla-breached";
    public const string TicketResolved = "ticket-resolved";
    public const string InvoiceIssued = "invoice-issued";
    public const string BlockHoursLow = "block-hours-low";

    /// <summary>Mail a person cannot do without: their access, an answer to their request, a breach, an invoice.</summary>
    public static readonly IReadOnlySet<string> Essential = new HashSet<string>
    {
        Invitation, PasswordReset, StaffReply, SlaBreached, InvoiceIssued,
    };

    public static readonly IReadOnlyList<string> All =
    [
        Invitation, PasswordReset, TicketReceived, StaffReply, ClientReply, TicketAssigned, SlaWarning, SlaBreached, TicketResolved,
        InvoiceIssued, BlockHoursLow,
    ];

    public static bool IsOptional(string name) => All.Contains(name) && !Essential.Contains(name);

    /// <summary>The languages mail is written in; anything else reads English.</summary>
    public static readonly IReadOnlyList<string> Languages = ["en", "fr", "it"];

    public static string LanguageOrDefault(string? language) => language is { } l && Languages.Contains(l) ? l : "en";

    /// <summary>A tenant's default language from its country, as the Tenants service decides it.</summary>
    public static string DefaultLanguageFor(string? country) => country?.ToUpperInvariant() switch
    {
        "FR" => "fr",
        "IT" => "it",
        _ => "en",
    };
}
