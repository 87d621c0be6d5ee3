using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Msp.Contracts;
using Msp.Contracts.Tenants;
using Msp.ServiceDefaults.Hosting;
using Msp.Messaging;
using Msp.Tenants.Domain;
using Msp.Tenants.Identity;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.ReactivateUser;

public static class ReactivateUser
{
    public static RouteGroupBuilder MapReactivateUser(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/reactivate", Handle).RequireAuthorization(Policies.ManageUsers).WithName(nameof(ReactivateUser));
        return group;
    }

    /// <summary>Lets a deactivated user in the caller's scope sign in again with their password (who may deactivate may
    /// reactivate). <see cref="UserReactivated"/> tells the other services in the same transaction; tokens from before
    /// the deactivation stay refused everywhere. Reactivating an active user, or one reactivated at the same moment,
    /// answers 409.</summary>
    public static async Task<Results<Ok<UserResponse>, NotFound, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal caller, TenantsDb db, UserManager<User> users, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var user = await ManagedUsers.FindAsync(db, id, caller, ct);
        if (user is null)
        {
            return TypedResults.NotFound();
        }

        if (user.IsActive)
        {
            return Problems.Conflict("id", "The user is active.");
        }

        user.Reactivate(clock.GetUtcNow());
        db.PublishOnSave(new UserReactivated
        {
            EventId = EventIds.New(), TenantId = user.TenantId ?? Provider.TenantId, OccurredAt = user.ReactivatedAt!.Value, UserId = user.Id,
        }, http.TraceIdentifier);
        var saved = await users.UpdateAsync(user);
        if (!saved.Succeeded)
        {
            return ManagedUsers.Refused(saved, "id");
        }

        return TypedResults.Ok(await ManagedUsers.DescribeAsync(db, users, user, ct));
    }
}
