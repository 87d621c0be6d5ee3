using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Msp.ServiceDefaults.Hosting;
using Msp.Tenants.Domain;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Identity;

public sealed record InvitationResponse(Guid Id, string Email, string DisplayName, string Role, Guid? TenantId, string InvitationToken, DateTimeOffset ExpiresAt);

/// <summary>Creates an invited user (no password yet) with their role and a single-use invitation, all in one
/// transaction that the caller commits.</summary>
public static class Inviting
{
    /// <summary>Either the invitation or, when the email is taken, the problem to answer.</summary>
    public static async Task<(InvitationResponse? Invitation, ProblemHttpResult? Problem)> InviteAsync(
        UserManager<User> users, TenantsDb db, User user, string role, DateTimeOffset now)
    {
        if (await users.FindByEmailAsync(user.Email!) is not null)
        {
            return (null, Problems.Conflict("email", $"A user with the email '{user.Email}' exists already."));
        }

        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
        {
            return (null, Problems.Conflict("email", string.Join(" ", created.Errors.Select(e => e.Description))));
        }

        var added = await users.AddToRoleAsync(user, role);
        if (!added.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", added.Errors.Select(e => e.Description)));
        }

        var (invitation, token) = Invitation.For(user.Id, now);
        db.Invitations.Add(invitation);
        return (new InvitationResponse(user.Id, user.Email!, user.DisplayName, role, user.TenantId, token, invitation.ExpiresAt), null);
    }
}
