using System.Globalization;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Validation;
using Msp.Data;
using Msp.ServiceDefaults.Identity;
using Msp.Tenants.Domain;
using Msp.Tenants.Identity;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.Auth;

public sealed record LoginRequest(string? Email, string? Password);

public sealed class LoginRequestValidator : AbstractValidator<LoginRequest>
{
    public LoginRequestValidator()
    {
        RuleFor(r => r.Email).NotEmpty().WithMessage("Email is required.").EmailAddress();
        RuleFor(r => r.Password).NotEmpty().WithMessage("Password is required.");
    }
}

public static class Login
{
    public static RouteGroupBuilder MapLogin(this RouteGroupBuilder group)
    {
        group.MapPost("/login", Handle).Validate<LoginRequest>().AllowAnonymous().WithName(nameof(Login));
        return group;
    }

    /// <summary>Checks the password (counting failures towards lockout) and starts a new refresh-token family.
    /// A locked-out account answers 423 until the lockout ends, even with the right password.</summary>
    public static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> Handle(
        LoginRequest request, UserManager<User> users, SignInManager<User> signIn, TokenIssuer tokens, TimeProvider clock,
        TenantScope scope, TenantsDb db, HttpContext http, CancellationToken ct)
    {
        // Finding who is signing in means looking across every tenant's users; nothing else is read.
        scope.AllowAll();
        var user = await users.FindByEmailAsync(request.Email!);
        if (user is null || !user.IsActive)
        {
            return WrongCredentials();
        }

        var result = await signIn.CheckPasswordSignInAsync(user, request.Password!, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            var wait = (user.LockoutEnd ?? clock.GetUtcNow()) - clock.GetUtcNow();
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status423Locked,
                title: "Account locked",
                detail: $"Too many failed sign-ins. Try again in {seconds} s.");
        }

        if (!result.Succeeded)
        {
            return WrongCredentials();
        }

        // Told only to whoever knows the password, so a suspension does not leak to strangers (decision 0116).
        if (await ClientSuspendedAsync(db, user, ct))
        {
            return ClientSuspended();
        }

        return TypedResults.Ok(await tokens.IssueAsync(user, spent: null, ct));
    }

    /// <summary>Whether the user belongs to a client whose users are kept out (suspended or offboarded); staff belong to
    /// no client and are never kept out this way.</summary>
    internal static async Task<bool> ClientSuspendedAsync(TenantsDb db, User user, CancellationToken ct) =>
        user.TenantId is { } tenantId && await db.Tenants.AnyAsync(t => t.Id == tenantId && t.Status != TenantStatus.Active, ct);

    /// <summary>A 403 problem (the only 403 sign-in answers), which the sign-in page turns into a sentence saying what happened.</summary>
    internal static ProblemHttpResult ClientSuspended() =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Client suspended",
            detail: "Your organization's account is suspended, so you cannot sign in. Your tickets and invoices are kept; ask your provider to reactivate it.");

    // One answer for an unknown email, a deactivated account and a wrong password: existence does not leak.
    internal static ProblemHttpResult WrongCredentials() =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed", detail: "The email or the password is wrong.");
}
