using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Msp.Contracts;
using Msp.Contracts.Tenants;
using Msp.ServiceDefaults.Messaging;
using Msp.Tenants.Domain;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Identity;

/// <summary>Setting a password with Identity's own validators and hasher, without Identity's side effects: the caller
/// decides whether the security stamp changes (a reset ends every sign-in; a change keeps the caller's, decision 0050)
/// and saves the user itself, with whatever else the same unit of work changed.</summary>
public sealed class Passwords(UserManager<User> users, IUserStore<User> store)
{
    /// <summary>Checks the password against the policy; on success the user holds its hash, not yet saved.</summary>
    public async Task<IdentityResult> SetAsync(User user, string password, CancellationToken ct)
    {
        var errors = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password);
            errors.AddRange(result.Errors);
        }

        if (errors.Count > 0)
        {
            return IdentityResult.Failed([.. errors]);
        }

        await ((IUserPasswordStore<User>)store).SetPasswordHashAsync(user, users.PasswordHasher.HashPassword(user, password), ct);
        return IdentityResult.Success;
    }

    /// <summary>Ends a lockout (a reset proves who the user is), without saving.</summary>
    public async Task UnlockAsync(User user, CancellationToken ct)
    {
        var lockout = (IUserLockoutStore<User>)store;
        await lockout.SetLockoutEndDateAsync(user, null, ct);
        await lockout.ResetAccessFailedCountAsync(user, ct);
    }
}

/// <summary>Issuing password reset tokens: a new one replaces the user's unspent ones, and is announced for the mail
/// service (<see cref="PasswordResetRequested"/>). The caller saves, through <see cref="UserManager{TUser}.UpdateAsync"/>,
/// whose concurrency stamp makes two issuances for one user at once fail rather than both count.</summary>
public static class PasswordResets
{
    public static async Task<(PasswordReset Reset, string Token)> IssueAsync(
        TenantsDb db, User user, Guid? requestedBy, AuthOptions options, DateTimeOffset now, string correlationId, CancellationToken ct)
    {
        foreach (var live in await db.PasswordResets.Where(r => r.UserId == user.Id && r.UsedAt == null && r.RevokedAt == null).ToListAsync(ct))
        {
            live.Revoke(now);
        }

        var (reset, token) = PasswordReset.For(user, requestedBy, now, options.PasswordResetLifetime);
        db.PasswordResets.Add(reset);
        user.PasswordResetIssued(now);
        var tenant = user.TenantId is { } tenantId ? await db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tenantId, ct) : null;
        db.PublishOnSave(new PasswordResetRequested
        {
            EventId = EventIds.New(), TenantId = user.TenantId ?? Provider.TenantId, OccurredAt = now, UserId = user.Id,
            Email = user.Email!, DisplayName = user.DisplayName, Language = user.LanguageIn(tenant), ResetToken = token, ExpiresAt = reset.ExpiresAt,
        }, correlationId);
        return (reset, token);
    }
}
