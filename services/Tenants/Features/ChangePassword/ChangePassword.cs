using System.Globalization;
using System.Security.Claims;
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

namespace Msp.Tenants.Features.ChangePassword;

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

public sealed class ChangePasswordValidator : AbstractValidator<ChangePasswordRequest>
{
    public ChangePasswordValidator()
    {
        RuleFor(r => r.CurrentPassword).NotEmpty().WithMessage("The current password is required.");
        RuleFor(r => r.NewPassword).NotEmpty().WithMessage("The new password is required.");
    }
}

public static class ChangePassword
{
    public static RouteGroupBuilder MapChangePassword(this RouteGroupBuilder group)
    {
        group.MapPost("/password/change", Handle).Validate<ChangePasswordRequest>().RequireAuthorization().WithName(nameof(ChangePassword));
        return group;
    }

    /// <summary>Changes the caller's password. A wrong current password counts towards the lockout, as at sign-in.
    /// The caller's own sign-in carries on (its access and refresh tokens stay good); every other sign-in of the user
    /// ends: their refresh tokens are revoked (decision 0050).</summary>
    public static async Task<Results<NoContent, UnauthorizedHttpResult, ValidationProblem, ProblemHttpResult>> Handle(
        ChangePasswordRequest request, ClaimsPrincipal principal, UserManager<User> users, SignInManager<User> signIn, Passwords passwords,
        TenantsDb db, TenantScope scope, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        scope.AllowAll(); // the caller's own row, whatever their tenant scope
        var user = await users.GetUserAsync(principal);
        if (user is not { IsActive: true })
        {
            return TypedResults.Unauthorized();
        }

        var check = await signIn.CheckPasswordSignInAsync(user, request.CurrentPassword!, lockoutOnFailure: true);
        if (check.IsLockedOut)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(((user.LockoutEnd ?? clock.GetUtcNow()) - clock.GetUtcNow()).TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status423Locked, title: "Account locked",
                detail: $"Too many wrong passwords. Try again in {seconds} s.");
        }

        if (!check.Succeeded)
        {
            return Problems.Invalid("currentPassword", "The current password is wrong.");
        }

        var set = await passwords.SetAsync(user, request.NewPassword!, ct);
        if (!set.Succeeded)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["newPassword"] = [.. set.Errors.Select(e => e.Description)] });
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var saved = await users.UpdateAsync(user); // the security stamp stays: the caller's access token stays good
        if (!saved.Succeeded)
        {
            return ManagedUsers.Refused(saved, "newPassword");
        }

        var own = TokenIssuer.SignInOf(principal);
        await db.RefreshTokens.Where(t => t.UserId == user.Id && t.RevokedAt == null && t.FamilyId != own)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, clock.GetUtcNow()), ct);
        await tx.CommitAsync(ct);
        return TypedResults.NoContent();
    }
}
