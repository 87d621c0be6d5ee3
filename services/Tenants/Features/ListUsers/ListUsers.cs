using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Hosting;
using Msp.Data;
using Msp.Tenants.Domain;
using Msp.Tenants.Identity;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.ListUsers;

public static class ListUsers
{
    public static RouteGroupBuilder MapListUsers(this RouteGroupBuilder group)
    {
        group.MapGet("/{tenantId:guid}/users", Handle).RequireAuthorization(Policies.FindAndAddRequesters).WithName(nameof(ListUsers));
        return group;
    }

    /// <summary>Where the previous page ended: users are ordered by display name, then id.</summary>
    public sealed record UserKey(string Name, Guid Id);

    /// <summary>A tenant's users by name, keyset-paged, for its client admin, the technicians who serve it, operators
    /// and admins; <c>q</c> finds a
    /// fragment of the e-mail or the name (case-insensitive), <c>role</c> and <c>status</c> keep one of each.</summary>
    public static async Task<Results<Ok<Page<UserResponse>>, NotFound, ValidationProblem>> Handle(
        Guid tenantId, TenantsDb db, CancellationToken ct, string? q = null, string? role = null, string? status = null, int? limit = null,
        string? cursor = null)
    {
        if (role is not null && !Roles.Client.Contains(role))
        {
            return Problems.Invalid("role", $"Role is one of {string.Join(", ", Roles.Client)}.");
        }

        if (UserFilters.InvalidStatus(status) is { } invalid)
        {
            return invalid;
        }

        if (!Paging.TryRead<UserKey>(limit, cursor, out var take, out var after, out var problem))
        {
            return problem!;
        }

        // The query filter and row-level security keep a client admin to their own tenant: any other is not found.
        var tenant = await db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tenantId, ct);
        if (tenant is null)
        {
            return TypedResults.NotFound();
        }

        var query = UserFilters.Apply(db, db.Users.AsNoTracking().Where(u => u.TenantId == tenantId), q, role, status);
        if (after is not null)
        {
            query = query.Where(u => EF.Functions.GreaterThan(ValueTuple.Create(u.User.DisplayName, u.User.Id), ValueTuple.Create(after.Name, after.Id)));
        }

        var rows = await query.OrderBy(u => u.User.DisplayName).ThenBy(u => u.User.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(r => UserResponse.From(r.User, r.Role ?? "", tenant)).ToList().ToPage(take, u => new UserKey(u.DisplayName, u.Id)));
    }
}

/// <summary>A user with their role (each has exactly one), as the lists read them.</summary>
public sealed class UserWithRole
{
    public required User User { get; init; }

    public required string? Role { get; init; }
}

/// <summary>The filters the user and staff lists share.</summary>
public static class UserFilters
{
    public static ValidationProblem? InvalidStatus(string? status) =>
        status is null || Enum.TryParse<UserStatus>(status, ignoreCase: false, out _) && !int.TryParse(status, out _)
            ? null
            : Problems.Invalid("status", $"Status is one of {string.Join(", ", Enum.GetNames<UserStatus>())}.");

    public static IQueryable<UserWithRole> Apply(TenantsDb db, IQueryable<User> users, string? q, string? role, string? status)
    {
        if (!string.IsNullOrWhiteSpace(q))
        {
            var pattern = ManagedUsers.LikePattern(q);
            users = users.Where(u => EF.Functions.ILike(u.Email!, pattern) || EF.Functions.ILike(u.DisplayName, pattern));
        }

        users = status is null ? users : Enum.Parse<UserStatus>(status) switch
        {
            UserStatus.Invited => users.Where(u => u.IsActive && u.PasswordHash == null),
            UserStatus.Active => users.Where(u => u.IsActive && u.PasswordHash != null),
            _ => users.Where(u => !u.IsActive),
        };

        var withRoles = users.Select(u => new UserWithRole
        {
            User = u,
            Role = db.UserRoles.Where(ur => ur.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).FirstOrDefault(),
        });
        return role is null ? withRoles : withRoles.Where(u => u.Role == role);
    }
}
