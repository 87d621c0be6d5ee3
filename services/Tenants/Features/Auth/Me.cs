using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Tenancy;
using Msp.Tenants.Domain;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.Auth;

public sealed record ScopeResponse(bool AllTenants, IReadOnlyList<Guid> TenantIds);

/// <summary>Who the caller is. <see cref="Language"/> (en, fr, it) and <see cref="TimeZone"/> (IANA) are the values in
/// effect: their own, else their tenant's defaults (staff: en and UTC). <see cref="TenantName"/> is null for staff.</summary>
public sealed record MeResponse(
    Guid Id, string Email, string DisplayName, IReadOnlyList<string> Roles, Guid? TenantId, ScopeResponse Scope, string Language, string TimeZone,
    string? TenantName);

public static class Me
{
    public static RouteGroupBuilder MapMe(this RouteGroupBuilder group)
    {
        group.MapGet("/me", Handle).RequireAuthorization().WithName(nameof(Me));
        return group;
    }

    /// <summary>Who the caller is and which tenants they may act on.</summary>
    public static async Task<Results<Ok<MeResponse>, UnauthorizedHttpResult>> Handle(
        ClaimsPrincipal principal, UserManager<User> users, TenantsDb db, TenantScope tenantScope, CancellationToken ct)
    {
        // The caller's own row, whatever their tenant scope (a technician's may be empty).
        tenantScope.AllowAll();
        var user = await users.GetUserAsync(principal);
        if (user is not { IsActive: true })
        {
            return TypedResults.Unauthorized();
        }

        return TypedResults.Ok(await DescribeAsync(principal, user, users, db, ct));
    }

    /// <summary>The caller as <c>/me</c> answers them; the context's scope must reach the caller's row and tenant.</summary>
    public static async Task<MeResponse> DescribeAsync(ClaimsPrincipal principal, User user, UserManager<User> users, TenantsDb db, CancellationToken ct)
    {
        var roles = (await users.GetRolesAsync(user)).Order().ToList();
        var tenant = user.TenantId is { } tenantId ? await db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tenantId, ct) : null;
        // Exactly the scope every service derives from this token.
        var granted = new TenantScope();
        TenantScopeMiddleware.Decide(principal, granted);
        var scope = new ScopeResponse(granted.AllTenants, granted.TenantIds);
        return new MeResponse(user.Id, user.Email!, user.DisplayName, roles, user.TenantId, scope, user.LanguageIn(tenant), user.TimeZoneIn(tenant), tenant?.Name);
    }
}
