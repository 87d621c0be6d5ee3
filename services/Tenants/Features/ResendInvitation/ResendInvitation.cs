using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Msp.Contracts;
using Msp.Contracts.Tenants;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Messaging;
using Msp.Tenants.Domain;
using Msp.Tenants.Identity;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.ResendInvitation;

public sealed record ResentInvitationResponse(string InvitationToken, DateTimeOffset ExpiresAt);

public static class ResendInvitation
{
    public static RouteGroupBuilder MapResendInvitation(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/invitation", Handle).RequireAuthorization(Policies.ManageUsers).WithName(nameof(ResendInvitation));
        return group;
    }

    /// <summary>Sends a user who has not accepted yet a new invitation: a new token, and the old ones stop working.
    /// Who may invite into the user's tenant may re-send (a member of staff's: an Admin). <see cref="UserInvited"/> is
    /// published again with the new token for the mail service. Two re-sends at once: one wins, the other answers 409
    /// (Identity's concurrency stamp on the user).</summary>
    public static async Task<Results<Ok<ResentInvitationResponse>, NotFound, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal caller, TenantsDb db, UserManager<User> users, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var user = await ManagedUsers.FindAsync(db, id, caller, ct);
        if (user is null)
        {
            return TypedResults.NotFound();
        }

        if (user.TenantId is null && !caller.IsInRole(Roles.Admin))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed", detail: "Only an Admin invites staff.");
        }

        switch (user.Status)
        {
            case UserStatus.Active:
                return Problems.Conflict("id", "The user accepted their invitation already; they can reset their password if they forgot it.");
            case UserStatus.Deactivated:
                return Problems.Conflict("id", "The user is deactivated; reactivate them first.");
        }

        var now = clock.GetUtcNow();
        foreach (var pending in await db.Invitations.Where(i => i.UserId == user.Id && i.AcceptedAt == null && i.RevokedAt == null).ToListAsync(ct))
        {
            pending.Revoke(now);
        }

        var (invitation, token) = Invitation.For(user.Id, now);
        db.Invitations.Add(invitation);
        db.PublishOnSave(new UserInvited
        {
            EventId = EventIds.New(), TenantId = user.TenantId ?? Provider.TenantId, OccurredAt = now, UserId = user.Id, Email = user.Email!,
            DisplayName = user.DisplayName, Role = (await users.GetRolesAsync(user)).FirstOrDefault() ?? "", InvitationToken = token,
            ExpiresAt = invitation.ExpiresAt,
        }, http.TraceIdentifier);
        var saved = await users.UpdateAsync(user);
        if (!saved.Succeeded)
        {
            return ManagedUsers.Refused(saved, "id");
        }

        return TypedResults.Ok(new ResentInvitationResponse(token, invitation.ExpiresAt));
    }
}
