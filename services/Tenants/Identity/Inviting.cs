using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Msp.Contracts.Tenants;
using Msp.Data;
using Msp.ServiceDefaults.Hosting;
using Msp.Messaging;
using Msp.Tenants.Domain;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Identity;

/// <summary>The body of inviting anyone: a tenant's user or a member of staff.</summary>
public sealed record InviteRequest(string? Email, string? DisplayName, string? Role);

public sealed class InviteRequestValidator : AbstractValidator<InviteRequest>
{
    public InviteRequestValidator()
    {
        RuleFor(r => r.Email).NotEmpty().WithMessage("Email is required.").EmailAddress().MaximumLength(254);
        RuleFor(r => r.DisplayName).NotEmpty().WithMessage("Display name is required.").MaximumLength(200);
        RuleFor(r => r.Role).NotEmpty().WithMessage("Role is required.")
            .Must(r => Roles.All.Contains(r)).WithMessage($"Role must be one of {string.Join(", ", Roles.All)}.");
    }
}

public sealed record InvitationResponse(Guid Id, string Email, string DisplayName, string Role, Guid? TenantId, string InvitationToken, DateTimeOffset ExpiresAt);

/// <summary>Creates an invited user (no password yet) with their role and a single-use invitation, and the event
/// that announces it, in one transaction.</summary>
public static class Inviting
{
    /// <summary>The unique index on users' normalized user name, which is their email address.</summary>
    public const string EmailTaken = "ux_users_normalized_user_name";

    public static async Task<Results<Created<InvitationResponse>, ValidationProblem, ProblemHttpResult>> InviteAsync(
        TenantsDb db, UserManager<User> users, User user, string role, string[] allowedRoles, Func<User, UserInvited> announce,
        string correlationId, TimeProvider clock, CancellationToken ct)
    {
        if (!allowedRoles.Contains(role))
        {
            return Problems.Invalid("role", $"Here the role must be one of {string.Join(", ", allowedRoles)}.");
        }

        if (await users.FindByEmailAsync(user.Email!) is not null)
        {
            return Problems.Conflict("email", $"A user with the email '{user.Email}' exists already.");
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        IdentityResult created;
        try
        {
            created = await users.CreateAsync(user);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation(EmailTaken))
        {
            // The same address invited at the same moment: the other invitation won.
            return Problems.Conflict("email", $"A user with the email '{user.Email}' exists already.");
        }

        if (!created.Succeeded)
        {
            return Problems.Conflict("email", string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        var added = await users.AddToRoleAsync(user, role);
        if (!added.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", added.Errors.Select(e => e.Description)));
        }

        var (invitation, token) = Invitation.For(user.Id, clock.GetUtcNow());
        db.Invitations.Add(invitation);
        // The token travels in the event for the mail service to send the link (decision 0050).
        var tenant = user.TenantId is { } tenantId ? await db.Tenants.FindAsync([tenantId], ct) : null;
        db.PublishOnSave(announce(user) with { InvitationToken = token, ExpiresAt = invitation.ExpiresAt, Language = user.LanguageIn(tenant) }, correlationId);

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Created(
            $"/api/users/{user.Id}",
            new InvitationResponse(user.Id, user.Email!, user.DisplayName, role, user.TenantId, token, invitation.ExpiresAt));
    }
}
