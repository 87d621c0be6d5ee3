using Msp.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Msp.Contracts.Tenants;
using Msp.ServiceDefaults.Validation;
using Msp.Tenants.Domain;
using Msp.Tenants.Identity;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.InviteUser;

public static class InviteUser
{
    public static RouteGroupBuilder MapInviteUser(this RouteGroupBuilder group)
    {
        group.MapPost("/{tenantId:guid}/users", Handle).Validate<InviteRequest>().RequireAuthorization(Policies.FindAndAddRequesters).WithName(nameof(InviteUser));
        return group;
    }

    /// <summary>Invites a ClientUser or ClientAdmin into a tenant in the caller's scope (a client admin: their own; a
    /// technician: a tenant they serve, and a ClientUser only). Answers the invitation token once; the user sets their
    /// password with it.</summary>
    public static async Task<Results<Created<InvitationResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Handle(
        Guid tenantId, InviteRequest request, TenantsDb db, UserManager<User> users, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (!await db.Tenants.AnyAsync(t => t.Id == tenantId, ct))
        {
            return TypedResults.NotFound();
        }

        var user = User.OfTenant(tenantId, request.Email!.Trim(), request.DisplayName!.Trim(), clock.GetUtcNow());
        string[] roles = http.User.IsInRole(Roles.Technician) ? [Roles.ClientUser] : [Roles.ClientUser, Roles.ClientAdmin];
        var result = await Inviting.InviteAsync(db, users, user, request.Role!, roles, u => new UserInvited
        {
            EventId = EventIds.New(), TenantId = tenantId, OccurredAt = u.CreatedAt,
            UserId = u.Id, Email = u.Email!, DisplayName = u.DisplayName, Role = request.Role!,
        }, http.TraceIdentifier, clock, ct);
        return result.Result switch
        {
            Created<InvitationResponse> created => created,
            ValidationProblem invalid => invalid,
            var other => (ProblemHttpResult)other,
        };
    }
}
