using Microsoft.AspNetCore.Http.HttpResults;
using Msp.Messaging;
using Msp.Tenants.Identity;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.ReactivateTenant;

public static class ReactivateTenant
{
    public static RouteGroupBuilder MapReactivateTenant(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/reactivate", Handle).RequireAuthorization(Policies.ManageTenants).WithName(nameof(ReactivateTenant));
        return group;
    }

    /// <summary>Lets a suspended client's users sign in again (decision 0116); <c>TenantReactivated</c> and a
    /// <c>TenantUpdated</c> carrying the status are published in the same transaction. A client not suspended answers
    /// 409 naming <c>status</c>.</summary>
    public static Task<Results<Ok<TenantResponse>, NotFound, ProblemHttpResult>> Handle(
        Guid id, TenantsDb db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        SuspendTenant.SuspendTenant.ChangeStatusAsync(id, db, http, ct, tenant =>
        {
            var broken = tenant.Reactivate(clock.GetUtcNow());
            if (broken is null)
            {
                db.PublishOnSave(tenant.Reactivated(), http.TraceIdentifier);
            }

            return broken;
        });
}
