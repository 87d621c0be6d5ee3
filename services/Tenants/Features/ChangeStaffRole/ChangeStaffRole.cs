using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Msp.Contracts;
using Msp.Contracts.Tenants;
using Msp.ServiceDefaults.Hosting;
using Msp.Messaging;
using Msp.Data;
using Msp.ServiceDefaults.Identity;
using Msp.ServiceDefaults.Validation;
using Msp.Tenants.Domain;
using Msp.Tenants.Features.ListStaff;
using Msp.Tenants.Identity;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.ChangeStaffRole;

public sealed record StaffRoleRequest(string? Role);

public sealed class StaffRoleValidator : AbstractValidator<StaffRoleRequest>
{
    public StaffRoleValidator() =>
        RuleFor(r => r.Role).NotEmpty().WithMessage("Role is required.")
            .Must(r => Roles.Staff.Contains(r)).WithMessage($"Role is one of {string.Join(", ", Roles.Staff)}.");
}

public static class ChangeStaffRole
{
    /// <summary>Role changes take this transaction-level advisory lock, so that two of them cannot each leave the other
    /// as the last active Admin and demote both.</summary>
    private const long AdminsLock = 0x4D5350_41444D; // "MSP" "ADM"

    public static RouteGroupBuilder MapChangeStaffRole(this RouteGroupBuilder group)
    {
        group.MapPut("/{id:guid}/role", Handle).Validate<StaffRoleRequest>().RequireAuthorization(Policies.ManageStaff).WithName(nameof(ChangeStaffRole));
        return group;
    }

    /// <summary>Makes a member of staff a Technician, an Operator or an Admin. Their security stamp changes and
    /// <see cref="UserRoleChanged"/> tells the other services, so tokens carrying the old role are refused everywhere and
    /// the user's next refresh carries the new one. Refused (409) when it would leave no active Admin, and when another
    /// change of the same user happened at the same moment. The same role again changes nothing.</summary>
    public static async Task<Results<Ok<StaffResponse>, NotFound, ProblemHttpResult>> Handle(
        Guid id, StaffRoleRequest request, TenantsDb db, UserManager<User> users, TenantScope scope, TimeProvider clock, HttpContext http,
        CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id && u.TenantId == null, ct);
        if (user is null)
        {
            return TypedResults.NotFound();
        }

        var role = request.Role!;
        var current = (await users.GetRolesAsync(user)).FirstOrDefault() ?? "";
        if (current != role)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdminsLock})", ct);
            if (current == Roles.Admin && user.IsActive && !await AnotherActiveAdminAsync(db, user.Id, ct))
            {
                return Problems.Conflict("role", "This is the last active Admin; make someone else an Admin first.");
            }

            user.RoleChanged(clock.GetUtcNow());
            db.PublishOnSave(new UserRoleChanged
            {
                EventId = EventIds.New(), TenantId = Provider.TenantId, OccurredAt = user.RoleChangedAt!.Value, UserId = user.Id, Role = role,
            }, http.TraceIdentifier);
            foreach (var step in new Func<Task<IdentityResult>>[]
            {
                () => current.Length == 0 ? Task.FromResult(IdentityResult.Success) : users.RemoveFromRoleAsync(user, current),
                () => users.AddToRoleAsync(user, role),
                () => users.UpdateSecurityStampAsync(user),
            })
            {
                var done = await step();
                if (!done.Succeeded)
                {
                    return ManagedUsers.Refused(done, "role");
                }
            }

            await tx.CommitAsync(ct);
        }

        var assignments = await ListStaff.ListStaff.AssignmentsAsync(db, [user.Id], scope, ct);
        return TypedResults.Ok(StaffResponse.From(user, role, assignments.GetValueOrDefault(user.Id) ?? []));
    }

    private static Task<bool> AnotherActiveAdminAsync(TenantsDb db, Guid except, CancellationToken ct) =>
        db.Users.AnyAsync(u => u.Id != except && u.IsActive && u.PasswordHash != null && u.TenantId == null
            && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Admin)), ct);
}
