using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Msp.Contracts.Tenants;
using Msp.ServiceDefaults.Messaging;
using Msp.ServiceDefaults.Validation;
using Msp.Tenants.Domain;
using Msp.Tenants.Identity;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.InviteUser;

public sealed record InviteRequest(string? Email, string? DisplayName, string? Role);

public sealed class InviteUserValidator : AbstractValidator<InviteRequest>
{
    public InviteUserValidator()
    {
        RuleFor(r => r.Email).NotEmpty().WithMessage("Email is required.").EmailAddress().MaximumLength(254);
        RuleFor(r => r.DisplayName).NotEmpty().WithMessage("Display name is required.").MaximumLength(200);
        RuleFor(r => r.Role).NotEmpty().WithMessage("Role is required.")
            .Must(r => r is Roles.ClientUser or Roles.ClientAdmin).WithMessage($"A tenant's user is a {Roles.ClientUser} or a {Roles.ClientAdmin}.");
    }
}

public static class InviteUser
{
    public static RouteGroupBuilder MapInviteUser(this RouteGroupBuilder group)
    {
        group.MapPost("/{tenantId:guid}/users", Handle).Validate<InviteRequest>().RequireAuthorization(Policies.ManageUsers).WithName(nameof(InviteUser));
        return group;
    }

    /// <summary>Invites a user into a tenant in the caller's scope (a client admin: their own). Answers the
    /// invitation token once; the user sets their password with it.</summary>
    public static async Task<Results<Created<InvitationResponse>, NotFound, ProblemHttpResult>> Handle(
        Guid tenantId, InviteRequest request, TenantsDb db, UserManager<User> users, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (!await db.Tenants.AnyAsync(t => t.Id == tenantId, ct))
        {
            return TypedResults.NotFound();
        }

        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = User.OfTenant(tenantId, request.Email!.Trim(), request.DisplayName!.Trim(), now);
        var (response, problem) = await Inviting.InviteAsync(users, db, user, request.Role!, now);
        if (response is null)
        {
            return problem!;
        }

        db.PublishOnSave(new UserInvited
        {
            EventId = Guid.CreateVersion7(), TenantId = tenantId, OccurredAt = now,
            UserId = user.Id, Email = user.Email!, DisplayName = user.DisplayName, Role = request.Role!,
        }, http.TraceIdentifier);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/api/users/{user.Id}", response);
    }
}
