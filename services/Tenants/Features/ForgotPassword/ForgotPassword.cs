using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Msp.ServiceDefaults.Tenancy;
using Msp.ServiceDefaults.Validation;
using Msp.Tenants.Domain;
using Msp.Tenants.Identity;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.ForgotPassword;

public sealed record ForgotPasswordRequest(string? Email);

public sealed class ForgotPasswordValidator : AbstractValidator<ForgotPasswordRequest>
{
    public ForgotPasswordValidator() =>
        RuleFor(r => r.Email).NotEmpty().WithMessage("Email is required.").EmailAddress().MaximumLength(254);
}

public static class ForgotPassword
{
    public static RouteGroupBuilder MapForgotPassword(this RouteGroupBuilder group)
    {
        group.MapPost("/password/forgot", Handle).Validate<ForgotPasswordRequest>().AllowAnonymous().WithName(nameof(ForgotPassword));
        return group;
    }

    /// <summary>Always 202 with no body, whoever the e-mail belongs to, so that the answer never tells whether an account
    /// exists. For an active user (one who has a password) it issues a single-use reset token and announces it
    /// (<see cref="Msp.Contracts.Tenants.PasswordResetRequested"/>) for the mail service to send, at most once a minute:
    /// a second request within the minute, or one racing another, changes nothing.</summary>
    public static async Task<Accepted> Handle(
        ForgotPasswordRequest request, UserManager<User> users, TenantsDb db, AuthOptions options, TenantScope scope, TimeProvider clock,
        HttpContext http, CancellationToken ct)
    {
        scope.AllowAll(); // finding the user means looking across every tenant's users; nothing else is read
        var now = clock.GetUtcNow();
        var user = await users.FindByEmailAsync(request.Email!.Trim());
        if (user is { Status: UserStatus.Active } && user.MayRequestPasswordReset(now))
        {
            await PasswordResets.IssueAsync(db, user, requestedBy: null, options, now, http.TraceIdentifier, ct);
            await users.UpdateAsync(user); // a concurrent request for the same user loses here and issues nothing
        }

        return TypedResults.Accepted((string?)null);
    }
}
