using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Hosting;
using Msp.Messaging;
using Msp.Data;
using Msp.ServiceDefaults.Validation;
using Msp.Tenants.Domain;
using Msp.Tenants.Identity;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.CreateTenant;

public static class CreateTenant
{
    public static RouteGroupBuilder MapCreateTenant(this RouteGroupBuilder group)
    {
        group.MapPost("/", Handle).Validate<TenantRequest>().RequireAuthorization(Policies.ManageTenants).WithName(nameof(CreateTenant));
        return group;
    }

    /// <summary>Creates the tenant and, in the same transaction, the <c>TenantCreated</c> event.</summary>
    public static async Task<Results<Created<TenantResponse>, ProblemHttpResult>> Handle(
        TenantRequest request, TenantsDb db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (await db.Tenants.AnyAsync(t => t.Slug == request.Slug, ct))
        {
            return SlugTaken(request.Slug!);
        }

        var tenant = Tenant.Create(request.ToDetails(), clock.GetUtcNow());
        db.Tenants.Add(tenant);
        db.PublishOnSave(tenant.Created(), http.TraceIdentifier);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation("ux_tenants_slug"))
        {
            return SlugTaken(request.Slug!); // lost a race with a concurrent create of the same slug
        }

        var response = TenantResponse.From(tenant);
        http.Response.Headers.ETag = response.ETag;
        return TypedResults.Created($"/api/tenants/{tenant.Id}", response);
    }

    internal static ProblemHttpResult SlugTaken(string slug) =>
        Problems.Conflict("slug", $"The slug '{slug}' is already used by another tenant.");
}
