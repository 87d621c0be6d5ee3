using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Msp.ServiceDefaults.Validation;
using Msp.Tenants.Domain;
using Msp.Tenants.Identity;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.InviteStaff;

public sealed record InviteStaffRequest(string? Email, string? DisplayName, string? Role);

public sealed class InviteStaffValidator : AbstractValidator<InviteStaffRequest>
{
    public InviteStaffValidator()
    {
        RuleFor(r => r.Email).NotEmpty().WithMessage("Email is required.").EmailAddress().MaximumLength(254);
        RuleFor(r => r.DisplayName).NotEmpty().WithMessage("Display name is required.").MaximumLength(200);
        RuleFor(r => r.Role).NotEmpty().WithMessage("Role is required.")
            .Must(r => r is Roles.Technician or Roles.Operator or Roles.Admin)
            .WithMessage($"Staff are a {Roles.Technician}, an {Roles.Operator} or an {Roles.Admin}.");
    }
}

public static class InviteStaff
{
    public static RouteGroupBuilder MapInviteStaff(this RouteGroupBuilder group)
    {
        group.MapPost("/", Handle).Validate<InviteStaffRequest>().RequireAuthorization(Policies.ManageStaff).WithName(nameof(InviteStaff));
        return group;
    }

    public static async Task<Results<Created<InvitationResponse>, ProblemHttpResult>> Handle(
        InviteStaffRequest request, TenantsDb db, UserManager<User> users, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = User.Staff(request.Email!.Trim(), request.DisplayName!.Trim(), now);
        var (response, problem) = await Inviting.InviteAsync(users, db, user, request.Role!, now);
        if (response is null)
        {
            return problem!;
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/api/users/{user.Id}", response);
    }
}
