using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Hosting;
using Msp.Data;
using Msp.ServiceDefaults.Identity;
using Msp.ServiceDefaults.Validation;
using Msp.Tenants.Domain;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.AcceptInvitation;

public sealed record AcceptInvitationRequest(string? Token, string? Password);

public sealed class AcceptInvitationValidator : AbstractValidator<AcceptInvitationRequest>
{
    public AcceptInvitationValidator()
    {
        RuleFor(r => r.Token).NotEmpty().WithMessage("The invitation token is required.");
        RuleFor(r => r.Password).NotEmpty().WithMessage("Password is required.");
    }
}

public static class AcceptInvitation
{
    public static RouteGroupBuilder MapAcceptInvitation(this RouteGroupBuilder group)
    {
        group.MapPost("/invitations/accept", Handle).Validate<AcceptInvitationRequest>().AllowAnonymous().WithName(nameof(AcceptInvitation));
        return group;
    }

    /// <summary>Sets the invited user's password. The token works once and until it expires; a password the policy
    /// refuses leaves the invitation usable.</summary>
    public static async Task<Results<NoContent, ValidationProblem>> Handle(
        AcceptInvitationRequest request, TenantsDb db, UserManager<User> users, TenantScope scope, TimeProvider clock, CancellationToken ct)
    {
        scope.AllowAll(); // the invitation names the user; nothing else is read
        var now = clock.GetUtcNow();
        var invitation = await db.Invitations.FirstOrDefaultAsync(i => i.TokenHash == OpaqueToken.Hash(request.Token!), ct);
        var user = invitation is null ? null : await db.Users.FirstOrDefaultAsync(u => u.Id == invitation.UserId, ct);
        if (invitation is null || user is not { IsActive: true } || !invitation.CanBeAccepted(now))
        {
            return Problems.Invalid("token", "This invitation is not valid: it was used already, has expired, or never existed.");
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var set = await users.AddPasswordAsync(user, request.Password!);
        if (set.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.ConcurrencyFailure) or nameof(IdentityErrorDescriber.UserAlreadyHasPassword)))
        {
            return Problems.Invalid("token", "This invitation was used already."); // by a request that raced this one
        }

        if (!set.Succeeded)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["password"] = [.. set.Errors.Select(e => e.Description)] });
        }

        invitation.Accept(now);
        user.Activated(now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Invalid("token", "This invitation was used already.");
        }

        await tx.CommitAsync(ct);
        return TypedResults.NoContent();
    }
}
