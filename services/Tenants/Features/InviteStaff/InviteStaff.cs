using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Msp.Contracts;
using Msp.Contracts.Tenants;
using Msp.ServiceDefaults.Validation;
using Msp.Tenants.Domain;
using Msp.Tenants.Identity;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.InviteStaff;

public static class InviteStaff
{
    public static RouteGroupBuilder MapInviteStaff(this RouteGroupBuilder group)
    {
        group.MapPost("/", Handle).Validate<InviteRequest>().RequireAuthorization(Policies.ManageStaff).WithName(nameof(InviteStaff));
        return group;
    }

    /// <summary>Invites a Technician, Operator or Admin of the provider (no tenant).</summary>
    public static Task<Results<Created<InvitationResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        InviteRequest request, TenantsDb db, UserManager<User> users, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        Inviting.InviteAsync(
            db, users, User.Staff(request.Email!.Trim(), request.DisplayName!.Trim(), clock.GetUtcNow()), request.Role!,
            [Roles.Technician, Roles.Operator, Roles.Admin], u => Invited(u, request.Role!), http.TraceIdentifier, clock, ct);

    public static UserInvited Invited(User staff, string role) => new()
    {
        EventId = EventIds.New(), TenantId = Provider.TenantId, OccurredAt = staff.CreatedAt,
        UserId = staff.Id, Email = staff.Email!, DisplayName = staff.DisplayName, Role = role,
    };
}
