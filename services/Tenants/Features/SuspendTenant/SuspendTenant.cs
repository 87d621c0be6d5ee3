using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Hosting;
using Msp.Messaging;
using Msp.Tenants.Domain;
using Msp.Tenants.Identity;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.SuspendTenant;

public static class SuspendTenant
{
    public static RouteGroupBuilder MapSuspendTenant(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/suspend", Handle).RequireAuthorization(Policies.ManageTenants).WithName(nameof(SuspendTenant));
        return group;
    }

    /// <summary>Suspends a client (decision 0116): from now on its users' sign-ins and session refreshes are refused
    /// with a problem saying so; its tickets, invoices and contracts stay. <c>TenantSuspended</c> and a
    /// <c>TenantUpdated</c> carrying the new status are published in the same transaction. A client not active answers
    /// 409 naming <c>status</c>, and so does a suspension racing another.</summary>
    public static Task<Results<Ok<TenantResponse>, NotFound, ProblemHttpResult>> Handle(
        Guid id, TenantsDb db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        ChangeStatusAsync(id, db, http, ct, tenant =>
        {
            var broken = tenant.Suspend(clock.GetUtcNow());
            if (broken is null)
            {
                db.PublishOnSave(tenant.Suspended(), http.TraceIdentifier);
            }

            return broken;
        });

    /// <summary>Loads the tenant, applies the change (which answers the rule it broke, if any), publishes the tenant's new
    /// state and saves; a concurrent change of the same tenant is a 409, never a 500.</summary>
    internal static async Task<Results<Ok<TenantResponse>, NotFound, ProblemHttpResult>> ChangeStatusAsync(
        Guid id, TenantsDb db, HttpContext http, CancellationToken ct, Func<Tenant, string?> change)
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

        if (change(tenant) is { } broken)
        {
            return Problems.Conflict("status", broken);
        }

        db.PublishOnSave(tenant.Updated(), http.TraceIdentifier);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("status", "The client changed at the same time; read it again and retry.");
        }

        var response = TenantResponse.From(tenant);
        http.Response.Headers.ETag = response.ETag;
        return TypedResults.Ok(response);
    }
}
