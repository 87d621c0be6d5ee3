using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Msp.ServiceDefaults.Hosting;
using Msp.Tenants.Domain;
using Msp.Tenants.Identity;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.IssuePasswordReset;

/// <summary>A reset token for the user to set a new password with (<c>/account/reset?token=...</c>), handed once.</summary>
public sealed record PasswordResetResponse(string ResetToken, DateTimeOffset ExpiresAt);

public static class IssuePasswordReset
{
    public static RouteGroupBuilder MapIssuePasswordReset(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/password-reset", Handle).RequireAuthorization(Policies.ManageUsers).WithName(nameof(IssuePasswordReset));
        return group;
    }

    /// <summary>Issues a reset token for a user in the caller's scope (a client admin: their own tenant's users;
    /// operators and admins: anyone's), the same kind as <c>forgot</c> issues, replacing any the user holds. A member
    /// of staff's needs an Admin. Only users who have a password (accepted their invitation) and are active get one.</summary>
    public static async Task<Results<Ok<PasswordResetResponse>, NotFound, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal caller, TenantsDb db, UserManager<User> users, AuthOptions options, TimeProvider clock, HttpContext http,
        CancellationToken ct)
    {
        var user = await ManagedUsers.FindAsync(db, id, caller, ct);
        if (user is null)
        {
            return TypedResults.NotFound();
        }

        if (user.TenantId is null && !caller.IsInRole(Roles.Admin))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed",
                detail: "Only an Admin resets the password of a member of staff.");
        }

        switch (user.Status)
        {
            case UserStatus.Invited:
                return Problems.Conflict("id", "The user has not accepted their invitation yet; re-send the invitation instead.");
            case UserStatus.Deactivated:
                return Problems.Conflict("id", "The user is deactivated; reactivate them first.");
        }

        var requestedBy = Guid.Parse(caller.FindFirstValue(ClaimTypes.NameIdentifier)!);
        var (reset, token) = await PasswordResets.IssueAsync(db, user, requestedBy, options, clock.GetUtcNow(), http.TraceIdentifier, ct);
        var saved = await users.UpdateAsync(user);
        if (!saved.Succeeded)
        {
            return ManagedUsers.Refused(saved, "id");
        }

        return TypedResults.Ok(new PasswordResetResponse(token, reset.ExpiresAt));
    }
}
