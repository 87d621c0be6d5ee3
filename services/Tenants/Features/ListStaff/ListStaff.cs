using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Identity;
using Msp.ServiceDefaults.Persistence;
using Msp.ServiceDefaults.Tenancy;
using Msp.Tenants.Domain;
using Msp.Tenants.Features.ListUsers;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.ListStaff;

public static class ListStaff
{
    public static RouteGroupBuilder MapListStaff(this RouteGroupBuilder group)
    {
        group.MapGet("/", Handle).RequireAuthorization(MspPolicies.Staff).WithName(nameof(ListStaff));
        return group;
    }

    /// <summary>The provider's staff by name, keyset-paged, for any member of staff (a technician needs colleagues'
    /// names to assign a ticket). <c>tenantId</c> keeps those who serve that tenant: operators, admins, and technicians
    /// assigned to it or to all; a tenant outside the caller's scope is not found. Staff rows belong to no tenant, so
    /// they are read with every tenant in scope; the tenants shown stay within the caller's own scope.</summary>
    public static async Task<Results<Ok<Page<StaffResponse>>, NotFound, ValidationProblem>> Handle(
        TenantsDb db, TenantScope scope, CancellationToken ct, string? q = null, string? role = null, string? status = null,
        string? tenantId = null, int? limit = null, string? cursor = null)
    {
        if (role is not null && !Roles.Staff.Contains(role))
        {
            return Problems.Invalid("role", $"Role is one of {string.Join(", ", Roles.Staff)}.");
        }

        if (UserFilters.InvalidStatus(status) is { } invalid)
        {
            return invalid;
        }

        Guid? serving = null;
        if (tenantId is not null)
        {
            if (!Guid.TryParse(tenantId, out var parsed))
            {
                return Problems.Invalid("tenantId", "The tenant id is not a valid id.");
            }

            serving = parsed;
        }

        if (!Paging.TryRead<ListUsers.ListUsers.UserKey>(limit, cursor, out var take, out var after, out var problem))
        {
            return problem!;
        }

        var callerScope = new TenantScope();
        if (scope.AllTenants)
        {
            callerScope.AllowAll();
        }
        else
        {
            callerScope.Allow(scope.TenantIds);
        }

        if (serving is { } wanted && !callerScope.Includes(wanted))
        {
            return TypedResults.NotFound();
        }

        scope.AllowAll();
        var query = UserFilters.Apply(db, db.Users.AsNoTracking().Where(u => u.TenantId == null), q, role, status);
        if (serving is { } served)
        {
            query = query.Where(u => u.Role == Roles.Operator || u.Role == Roles.Admin || u.User.AllTenants
                || db.TechnicianTenants.Any(t => t.UserId == u.User.Id && t.TenantId == served));
        }

        if (after is not null)
        {
            query = query.Where(u => EF.Functions.GreaterThan(ValueTuple.Create(u.User.DisplayName, u.User.Id), ValueTuple.Create(after.Name, after.Id)));
        }

        var rows = await query.OrderBy(u => u.User.DisplayName).ThenBy(u => u.User.Id).Take(take + 1).ToListAsync(ct);
        var assignments = await AssignmentsAsync(db, [.. rows.Select(r => r.User.Id)], callerScope, ct);
        return TypedResults.Ok(rows
            .Select(r => StaffResponse.From(r.User, r.Role ?? "", assignments.GetValueOrDefault(r.User.Id) ?? []))
            .ToList().ToPage(take, s => new ListUsers.ListUsers.UserKey(s.DisplayName, s.Id)));
    }

    /// <summary>The technicians' assigned tenants, limited to those the caller's own scope reaches.</summary>
    public static async Task<Dictionary<Guid, List<Guid>>> AssignmentsAsync(TenantsDb db, Guid[] userIds, TenantScope callerScope, CancellationToken ct) =>
        (await db.TechnicianTenants.AsNoTracking().Where(t => userIds.Contains(t.UserId)).ToListAsync(ct))
            .Where(t => callerScope.Includes(t.TenantId))
            .GroupBy(t => t.UserId)
            .ToDictionary(g => g.Key, g => g.Select(t => t.TenantId).Order().ToList());
}
