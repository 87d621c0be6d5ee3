namespace Msp.Web.Portal.Company;

/// <summary>One action on one user of the list (resend, reset, deactivate, reactivate).</summary>
public sealed class UserActionForm
{
    public Guid UserId { get; set; }

    public string? Action { get; set; }
}
