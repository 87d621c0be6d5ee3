using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Hosting;
using Msp.Messaging;
using Msp.Data;
using Msp.ServiceDefaults.Validation;
using Msp.Tenants.Features.CreateTenant;
using Msp.Tenants.Identity;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.UpdateTenant;

public static class UpdateTenant
{
    public static RouteGroupBuilder MapUpdateTenant(this RouteGroupBuilder group)
    {
        group.MapPut("/{id:guid}", Handle).Validate<TenantRequest>().RequireAuthorization(Policies.ManageTenants).WithName(nameof(UpdateTenant));
        return group;
    }

    /// <summary>Replaces the tenant's details. With <c>If-Match</c>, a stale version answers 412 and changes nothing.</summary>
    public static async Task<Results<Ok<TenantResponse>, NotFound, ProblemHttpResult>> Handle(
        Guid id, TenantRequest request, TenantsDb db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (tenant is null)
        {
            return TypedResults.NotFound();
        }

        if (Preconditions.IfMatchFails(http, TenantResponse.From(tenant).ETag, "tenant") is { } stale)
        {
            return stale;
        }

        if (request.Slug != tenant.Slug && await db.Tenants.AnyAsync(t => t.Slug == request.Slug, ct))
        {
            return CreateTenant.CreateTenant.SlugTaken(request.Slug!);
        }

        tenant.Update(request.ToDetails(), clock.GetUtcNow());
        db.PublishOnSave(tenant.Updated(), http.TraceIdentifier);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation("ux_tenants_slug"))
        {
            return CreateTenant.CreateTenant.SlugTaken(request.Slug!);
        }

        var response = TenantResponse.From(tenant);
        http.Response.Headers.ETag = response.ETag;
        return TypedResults.Ok(response);
    }
}
