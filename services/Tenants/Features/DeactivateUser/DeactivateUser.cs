using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Msp.Contracts;
using Msp.Contracts.Tenants;
using Msp.Messaging;
using Msp.ServiceDefaults.Hosting;
using Msp.Tenants.Domain;
using Msp.Tenants.Features.Auth;
using Msp.Tenants.Identity;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.DeactivateUser;

public static class DeactivateUser
{
    public static RouteGroupBuilder MapDeactivateUser(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/deactivate", Handle).RequireAuthorization(Policies.ManageUsers).WithName(nameof(DeactivateUser));
        return group;
    }

    /// <summary>Deactivates a user within the caller's scope (a client admin: their own tenant's users; operators and
    /// admins: anyone). Their security stamp changes, every refresh token they hold is revoked and
    /// <see cref="UserDeactivated"/> tells the other services to refuse their tokens, in one transaction.</summary>
    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal caller, TenantsDb db, UserManager<User> users, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        // The query filter limits this to users in the caller's scope: anyone else's is simply not found.
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return TypedResults.NotFound();
        }

        if (user.Id.ToString() == caller.FindFirstValue(ClaimTypes.NameIdentifier))
        {
            return Problems.Conflict("id", "You cannot deactivate yourself.");
        }

        if (user.TenantId is null && !caller.IsInRole(Roles.Operator) && !caller.IsInRole(Roles.Admin))
        {
            return TypedResults.NotFound();
        }

        if (!user.IsActive)
        {
            return TypedResults.NoContent(); // deactivated already (a retry): nothing more to do
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        user.Deactivate(clock.GetUtcNow());
        db.PublishOnSave(new UserDeactivated
        {
            EventId = EventIds.New(), TenantId = user.TenantId ?? Provider.TenantId, OccurredAt = user.DeactivatedAt!.Value, UserId = user.Id,
        }, http.TraceIdentifier);
        var updated = await users.UpdateSecurityStampAsync(user); // saves the user too
        if (!updated.Succeeded)
        {
            return Problems.Conflict("id", string.Join(" ", updated.Errors.Select(e => e.Description)));
        }

        await db.RefreshTokens.Where(t => t.UserId == user.Id && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, clock.GetUtcNow()), ct);
        await tx.CommitAsync(ct);
        return TypedResults.NoContent();
    }
}
