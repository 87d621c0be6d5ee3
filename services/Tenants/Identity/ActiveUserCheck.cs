using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Msp.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;
using Msp.Data;
using Msp.ServiceDefaults.Identity;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Identity;

/// <summary>An access token is only as good as its user: on every signed-in request the user must still be active
/// and the token's security stamp still theirs. Deactivating a user (or changing their password or roles, which
/// changes the stamp) therefore takes effect on their very next request, not when the token expires.</summary>
public sealed class ActiveUserCheck(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, TenantsDb db, TenantScope scope, IOptions<IdentityOptions> identity)
    {
        var principal = context.User;
        if (principal.Identity?.IsAuthenticated != true)
        {
            await next(context);
            return;
        }

        var id = Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var parsed) ? parsed : Guid.Empty;
        var stamp = principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
        scope.AllowAll(); // the caller's own row, whatever their tenant; the scope is decided again right after
        var current = await db.Users.IgnoreQueryFilters().Where(u => u.Id == id)
            .Select(u => new { u.IsActive, u.SecurityStamp }).FirstOrDefaultAsync(context.RequestAborted);
        TenantScopeMiddleware.Decide(principal, scope);

        if (current is not { IsActive: true } || current.SecurityStamp != stamp)
        {
            await context.WriteProblemAsync(StatusCodes.Status401Unauthorized, "Signed out", "This sign-in is no longer valid; sign in again.");
            return;
        }

        await next(context);
    }
}
