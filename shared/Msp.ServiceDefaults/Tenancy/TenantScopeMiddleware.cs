using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Msp.ServiceDefaults.Tenancy;

/// <summary>Decides the tenant scope of an HTTP request. There is no sign-in yet: every caller is the provider's
/// staff, so every tenant is in scope. Sign-in replaces this with the principal's scope (a client's own tenant,
/// a technician's assigned ones); the database boundary below it does not change.</summary>
public sealed class TenantScopeMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.RequestServices.GetService<TenantScope>()?.AllowAll();
        return next(context);
    }
}
