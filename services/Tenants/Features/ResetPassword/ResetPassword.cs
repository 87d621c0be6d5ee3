using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Tenancy;
using Msp.ServiceDefaults.Validation;
using Msp.Tenants.Domain;
using Msp.Tenants.Identity;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.ResetPassword;

public sealed record ResetPasswordRequest(string? Token, string? Password);

public sealed class ResetPasswordValidator : AbstractValidator<ResetPasswordRequest>
{
    public ResetPasswordValidator()
    {
        RuleFor(r => r.Token).NotEmpty().WithMessage("The reset token is required.");
        RuleFor(r => r.Password).NotEmpty().WithMessage("Password is required.");
    }
}

public static class ResetPassword
{
    public static RouteGroupBuilder MapResetPassword(this RouteGroupBuilder group)
    {
        group.MapPost("/password/reset", Handle).Validate<ResetPasswordRequest>().AllowAnonymous().WithName(nameof(ResetPassword));
        return group;
    }

    /// <summary>Sets a new password with a reset token. The token is spent (and any other the user holds revoked), every
    /// sign-in of the user ends (the security stamp changes and every refresh token is revoked), and a lockout ends.
    /// A password the policy refuses leaves the token usable; one token used twice at once works once.</summary>
    public static async Task<Results<NoContent, ValidationProblem>> Handle(
        ResetPasswordRequest request, UserManager<User> users, Passwords passwords, TenantsDb db, TenantScope scope, TimeProvider clock,
        CancellationToken ct)
    {
        scope.AllowAll(); // the token names the user; nothing else is read
        var now = clock.GetUtcNow();
        var reset = await db.PasswordResets.FirstOrDefaultAsync(r => r.TokenHash == OpaqueToken.Hash(request.Token!), ct);
        var user = reset is null ? null : await db.Users.FirstOrDefaultAsync(u => u.Id == reset.UserId, ct);
        if (reset is null || user is not { IsActive: true } || !reset.CanBeUsed(now))
        {
            return InvalidToken();
        }

        var set = await passwords.SetAsync(user, request.Password!, ct);
        if (!set.Succeeded)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["password"] = [.. set.Errors.Select(e => e.Description)] });
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        reset.Use(now);
        foreach (var other in await db.PasswordResets.Where(r => r.UserId == user.Id && r.Id != reset.Id && r.UsedAt == null && r.RevokedAt == null).ToListAsync(ct))
        {
            other.Revoke(now);
        }

        await passwords.UnlockAsync(user, ct);
        var saved = await users.UpdateSecurityStampAsync(user); // saves the user and the tokens; ends their access tokens here
        if (!saved.Succeeded)
        {
            return InvalidToken(); // the same token, used at the same moment by another request that won
        }

        await db.RefreshTokens.Where(t => t.UserId == user.Id && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
        await tx.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    private static ValidationProblem InvalidToken() =>
        Problems.Invalid("token", "This reset link is not valid: it was used already, was replaced by a newer one, has expired, or never existed.");
}
