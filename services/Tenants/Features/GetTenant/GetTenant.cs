using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.GetTenant;

public static class GetTenant
{
    public static RouteGroupBuilder MapGetTenant(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}", Handle).WithName(nameof(GetTenant));
        return group;
    }

    public static async Task<Results<Ok<TenantResponse>, NotFound>> Handle(Guid id, TenantsDb db, HttpContext http, CancellationToken ct)
    {
        var tenant = await db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        if (tenant is null)
        {
            return TypedResults.NotFound();
        }

        var response = TenantResponse.From(tenant);
        http.Response.Headers.ETag = response.ETag;
        return TypedResults.Ok(response);
    }
}
