using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Msp.Contracts;
using Msp.Contracts.Tenants;
using Msp.Messaging;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Validation;
using Msp.Tenants.Domain;
using Msp.Tenants.Identity;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.AssignTechnician;

public sealed record AssignTenantsRequest(bool AllTenants, Guid[]? TenantIds);

public sealed class AssignTenantsValidator : AbstractValidator<AssignTenantsRequest>
{
    public AssignTenantsValidator() =>
        RuleFor(r => r.TenantIds).Must(ids => ids is null || ids.Length <= 1000).WithMessage("At most 1000 tenants can be assigned one by one; use allTenants.");
}

public static class AssignTechnician
{
    public static RouteGroupBuilder MapAssignTechnician(this RouteGroupBuilder group)
    {
        group.MapPut("/{id:guid}/tenants", Handle).Validate<AssignTenantsRequest>().RequireAuthorization(Policies.ManageStaff).WithName(nameof(AssignTechnician));
        return group;
    }

    /// <summary>Replaces the tenants a technician works for. Their security stamp changes and <see cref="TechnicianScopeChanged"/>
    /// tells the other services, so their next request anywhere asks them to sign in again, and the new token carries
    /// the new scope. Replacements of one technician's tenants take their turn on the technician's row, so that two at
    /// once cannot both insert the same assignment; one that changes nothing (the same request again) answers 204 and
    /// writes nothing: the endpoint is idempotent.</summary>
    public static async Task<Results<NoContent, NotFound, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, AssignTenantsRequest request, TenantsDb db, UserManager<User> users, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var tenantIds = (request.TenantIds ?? []).Distinct().ToArray();
        var known = await db.Tenants.Where(t => tenantIds.Contains(t.Id)).Select(t => t.Id).ToListAsync(ct);
        if (known.Count != tenantIds.Length)
        {
            return Problems.Invalid("tenantIds", $"Unknown tenant: {string.Join(", ", tenantIds.Except(known))}.");
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM users WHERE id = {id} AND tenant_id IS NULL FOR UPDATE", ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id && u.TenantId == null, ct);
        if (user is null)
        {
            return TypedResults.NotFound();
        }

        if (!await users.IsInRoleAsync(user, Roles.Technician))
        {
            return Problems.Conflict("id", "Only a technician is assigned to tenants; operators and admins work for every tenant.");
        }

        var wanted = request.AllTenants ? [] : tenantIds;
        var current = await db.TechnicianTenants.Where(t => t.UserId == id).Select(t => t.TenantId).ToListAsync(ct);
        if (user.AllTenants == request.AllTenants && current.Count == wanted.Length && !wanted.Except(current).Any())
        {
            return TypedResults.NoContent();
        }

        await db.TechnicianTenants.Where(t => t.UserId == id).ExecuteDeleteAsync(ct);
        db.TechnicianTenants.AddRange(wanted.Select(t => new TechnicianTenant { UserId = id, TenantId = t }));
        user.AssignAllTenants(request.AllTenants, clock.GetUtcNow());
        db.PublishOnSave(new TechnicianScopeChanged
        {
            EventId = EventIds.New(), TenantId = Provider.TenantId, OccurredAt = user.ScopeChangedAt!.Value, UserId = id,
            AllTenants = request.AllTenants, TenantIds = wanted,
        }, http.TraceIdentifier);
        await users.UpdateSecurityStampAsync(user); // saves the user and the assignments
        await tx.CommitAsync(ct);
        return TypedResults.NoContent();
    }
}
