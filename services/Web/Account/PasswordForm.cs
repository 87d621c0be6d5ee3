using Microsoft.Extensions.Localization;
using Msp.Web.Components;
using Msp.Web.Localization;

namespace Msp.Web.Account;

/// <summary>A new password typed twice (invitation, reset, change), with the token or current password it needs.</summary>
public sealed class PasswordForm
{
    public string? Token { get; set; }

    public string? Current { get; set; }

    public string? Password { get; set; }

    public string? Confirm { get; set; }

    /// <summary>The checks worth making before asking the API, which applies the real password policy.</summary>
    public bool Check(FormErrors errors, IStringLocalizer<Text> text, string passwordField, string confirmField)
    {
        if (string.IsNullOrEmpty(Password))
        {
            errors.Add(passwordField, text["Error.PasswordRequired"]);
        }
        else if (Password != Confirm)
        {
            errors.Add(confirmField, text["Error.PasswordsDiffer"]);
        }

        return !errors.Any;
    }
}
