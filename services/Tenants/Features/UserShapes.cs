using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Hosting;
using Msp.Tenants.Domain;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features;

/// <summary>A user as the portal's and the console's user pages show them. <see cref="Language"/> and
/// <see cref="TimeZone"/> are the values in effect (the tenant's defaults where the user chose none).</summary>
public sealed record UserResponse(
    Guid Id, Guid? TenantId, string Email, string DisplayName, string Role, UserStatus Status, DateTimeOffset InvitedAt,
    DateTimeOffset? ActivatedAt, DateTimeOffset? DeactivatedAt, string Language, string TimeZone)
{
    public static UserResponse From(User u, string role, Tenant? tenant) => new(
        u.Id, u.TenantId, u.Email!, u.DisplayName, role, u.Status, u.CreatedAt, u.ActivatedAt, u.DeactivatedAt, u.LanguageIn(tenant), u.TimeZoneIn(tenant));
}

/// <summary>Finding a user on behalf of someone who manages users, and answering them.</summary>
public static class ManagedUsers
{
    /// <summary>A user in the caller's scope (the query filter and row-level security see to that: a client admin finds
    /// only their own tenant's users); staff only for operators and admins. Anyone else's is not found.</summary>
    public static async Task<User?> FindAsync(TenantsDb db, Guid id, ClaimsPrincipal caller, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        return user is { TenantId: null } && !caller.IsInRole(Roles.Operator) && !caller.IsInRole(Roles.Admin) ? null : user;
    }

    public static async Task<UserResponse> DescribeAsync(TenantsDb db, UserManager<User> users, User user, CancellationToken ct)
    {
        var role = (await users.GetRolesAsync(user)).FirstOrDefault() ?? "";
        var tenant = user.TenantId is { } tenantId ? await db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tenantId, ct) : null;
        return UserResponse.From(user, role, tenant);
    }

    /// <summary>The answer when Identity refused to save a user, naming <paramref name="field"/>: usually a concurrent
    /// change of the same user (Identity's concurrency stamp), which lost.</summary>
    public static ProblemHttpResult Refused(IdentityResult result, string field) =>
        Problems.Conflict(field, result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure))
            ? "The user was changed by someone else at the same time; read them again and retry."
            : string.Join(" ", result.Errors.Select(e => e.Description)));

    /// <summary>Escapes a search fragment for ILIKE and wraps it in wildcards.</summary>
    public static string LikePattern(string fragment) =>
        "%" + fragment.Trim().Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";
}

/// <summary>A member of the provider's staff, as the staff list shows them. <see cref="AllTenants"/> is true for those
/// who serve every tenant (operators, admins, technicians assigned to all); <see cref="TenantIds"/> are a technician's
/// assigned tenants, as far as the caller's own scope reaches.</summary>
public sealed record StaffResponse(
    Guid Id, string Email, string DisplayName, string Role, UserStatus Status, bool AllTenants, IReadOnlyList<Guid> TenantIds)
{
    public static StaffResponse From(User u, string role, IReadOnlyList<Guid> tenantIds) => new(
        u.Id, u.Email!, u.DisplayName, role, u.Status, u.AllTenants || role is Roles.Operator or Roles.Admin, tenantIds);
}
