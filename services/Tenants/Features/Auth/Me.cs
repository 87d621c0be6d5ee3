using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Msp.ServiceDefaults.Tenancy;
using Msp.Tenants.Domain;
using Msp.Tenants.Identity;

namespace Msp.Tenants.Features.Auth;

public sealed record ScopeResponse(bool AllTenants, IReadOnlyList<Guid> TenantIds);

public sealed record MeResponse(Guid Id, string Email, string DisplayName, IReadOnlyList<string> Roles, Guid? TenantId, ScopeResponse Scope);

public static class Me
{
    public static RouteGroupBuilder MapMe(this RouteGroupBuilder group)
    {
        group.MapGet("/me", Handle).RequireAuthorization().WithName(nameof(Me));
        return group;
    }

    /// <summary>Who the caller is and which tenants they may act on. Technician assignments are not modelled yet:
    /// a technician's scope is empty until they are (the staff endpoints of the identity issue).</summary>
    public static async Task<Results<Ok<MeResponse>, UnauthorizedHttpResult>> Handle(ClaimsPrincipal principal, UserManager<User> users, TenantScope tenantScope)
    {
        // The caller's own row, whatever their tenant scope (a technician's may be empty).
        tenantScope.AllowAll();
        var user = await users.GetUserAsync(principal);
        if (user is not { IsActive: true })
        {
            return TypedResults.Unauthorized();
        }

        var roles = (await users.GetRolesAsync(user)).Order().ToList();
        var scope = user.TenantId is { } tenantId
            ? new ScopeResponse(false, [tenantId])
            : new ScopeResponse(roles.Contains(Roles.Operator) || roles.Contains(Roles.Admin), []);
        return TypedResults.Ok(new MeResponse(user.Id, user.Email!, user.DisplayName, roles, user.TenantId, scope));
    }
}
