namespace Msp.Mail.Outbound;

/// <summary>The pages of the web app (services/Web) that mails link to, each a route one of its pages declares
/// (<c>@page</c>); a test checks every path here against those routes. Staff have no ticket desk or console page yet,
/// so their mails open the staff home (decision 0085).</summary>
public static class PortalPages
{
    public static string AcceptInvitation(string token) => "/account/accept?token=" + Uri.EscapeDataString(token);

    public static string ResetPassword(string token) => "/account/reset?token=" + Uri.EscapeDataString(token);

    public static string Ticket(Guid ticketId) => $"/portal/tickets/{ticketId}";

    /// <summary>The ticket's page at its rating form (the section the form's heading names).</summary>
    public static string Rating(Guid ticketId) => $"/portal/tickets/{ticketId}#rating-title";

    public static string Invoice(Guid invoiceId) => $"/portal/company/invoices/{invoiceId}";

    /// <summary>The company page at its block hours section.</summary>
    public const string BlockHours = "/portal/company#hours-title";

    public const string StaffHome = "/staff";
}
