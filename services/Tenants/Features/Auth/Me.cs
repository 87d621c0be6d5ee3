using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Msp.Data;
using Msp.ServiceDefaults.Identity;
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

    /// <summary>Who the caller is and which tenants they may act on.</summary>
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
        // Exactly the scope every service derives from this token.
        var granted = new TenantScope();
        TenantScopeMiddleware.Decide(principal, granted);
        var scope = new ScopeResponse(granted.AllTenants, granted.TenantIds);
        return TypedResults.Ok(new MeResponse(user.Id, user.Email!, user.DisplayName, roles, user.TenantId, scope));
    }
}
