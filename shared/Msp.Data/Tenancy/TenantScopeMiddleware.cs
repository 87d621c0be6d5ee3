using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

using Msp.ServiceDefaults.Identity;

namespace Msp.Data;

/// <summary>Decides an HTTP request's tenant scope from the signed-in principal, never from the request itself:
/// a client user sees their own tenant; a technician the tenants assigned to them (or all); operators and admins
/// every tenant. An anonymous request has no tenant in scope at all.</summary>
public sealed class TenantScopeMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.RequestServices.GetService<TenantScope>() is { } scope)
        {
            Decide(context.User, scope);
        }

        return next(context);
    }

    public static void Decide(ClaimsPrincipal user, TenantScope scope)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return;
        }

        if (user.FindFirst(MspClaims.TenantId) is { } own && Guid.TryParse(own.Value, out var tenantId))
        {
            scope.Allow(tenantId);
        }
        else if (user.IsInRole(MspRoles.Admin) || user.IsInRole(MspRoles.Operator) || user.HasClaim(c => c.Type == MspClaims.AllTenants))
        {
            scope.AllowAll();
        }
        else
        {
            scope.Allow([.. user.FindAll(MspClaims.AssignedTenant).Select(c => Guid.TryParse(c.Value, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty)]);
        }
    }
}

public static class TenantScopeExtensions
{
    /// <summary>Decides each request's tenant scope from its signed-in principal: after authentication, before the
    /// service's check of the user (which reads the user's row within that scope) and before any endpoint.</summary>
    public static WebApplication UseTenantScope(this WebApplication app)
    {
        app.UseMiddleware<TenantScopeMiddleware>();
        return app;
    }
}
