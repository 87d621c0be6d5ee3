using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Msp.Tenants.Domain;
using Msp.Tenants.Identity;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.GetUser;

public static class GetUser
{
    public static RouteGroupBuilder MapGetUser(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}", Handle).RequireAuthorization(Policies.ManageUsers).WithName(nameof(GetUser));
        return group;
    }

    /// <summary>One user, for those who may list their tenant's users (a member of staff: operators and admins).</summary>
    public static async Task<Results<Ok<UserResponse>, NotFound>> Handle(
        Guid id, ClaimsPrincipal caller, TenantsDb db, UserManager<User> users, CancellationToken ct)
    {
        var user = await ManagedUsers.FindAsync(db, id, caller, ct);
        return user is null ? TypedResults.NotFound() : TypedResults.Ok(await ManagedUsers.DescribeAsync(db, users, user, ct));
    }
}
