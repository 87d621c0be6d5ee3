namespace Msp.Mail.Outbound;

/// <summary>The pages of the web app (services/Web) that mails link to, each a route one of its pages declares
/// (<c>@page</c>); a test checks every path here against those routes. Staff mails open the ticket's desk page or the
/// client's page of the operator console (decision 0085).</summary>
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

    /// <summary>The technician's page of the ticket (the desk).</summary>
    public static string DeskTicket(Guid ticketId) => $"/desk/tickets/{ticketId}";

    /// <summary>The operator console's page of the client, at its contracts (where the block hours are).</summary>
    public static string ConsoleClientContracts(Guid tenantId) => $"/console/clients/{tenantId}?tab=contracts";
}
