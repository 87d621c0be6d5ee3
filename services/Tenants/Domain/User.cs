using Microsoft.AspNetCore.Identity;
using Msp.Data;
using Msp.ServiceDefaults.Identity;

namespace Msp.Tenants.Domain;

/// <summary>A person who signs in: a client's employee (bound to one tenant) or one of the provider's staff (no tenant).</summary>
public sealed class User : IdentityUser<Guid>
{
    /// <summary>The client organization a <see cref="Roles.ClientUser"/> or <see cref="Roles.ClientAdmin"/> belongs to;
    /// null for the provider's staff.</summary>
    public Guid? TenantId { get; private set; }

    public string DisplayName { get; private set; } = "";

    public bool IsActive { get; private set; } = true;

    /// <summary>A technician who works for every tenant, present and future.</summary>
    public bool AllTenants { get; private set; }

    /// <summary>When the user was invited (or created).</summary>
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When the user set their first password (accepted the invitation); null until then.</summary>
    public DateTimeOffset? ActivatedAt { get; private set; }

    /// <summary>When the user was last deactivated; null while active.</summary>
    public DateTimeOffset? DeactivatedAt { get; private set; }

    /// <summary>When the user was last reactivated; null if never. This and the three instants below are those the
    /// services' copies order changes by: the user is announced again with them when a service asks (decision 0128).</summary>
    public DateTimeOffset? ReactivatedAt { get; private set; }

    /// <summary>When a member of staff's role last changed; null if never.</summary>
    public DateTimeOffset? RoleChangedAt { get; private set; }

    /// <summary>When a technician's tenants were last replaced; null if never.</summary>
    public DateTimeOffset? ScopeChangedAt { get; private set; }

    /// <summary>When the user last changed their profile; null if never.</summary>
    public DateTimeOffset? ProfileChangedAt { get; private set; }

    /// <summary>The language chosen (<see cref="Languages"/>); null follows the tenant's default.</summary>
    public string? Language { get; private set; }

    /// <summary>The IANA time zone chosen; null follows the tenant's.</summary>
    public string? TimeZone { get; private set; }

    /// <summary>When the last password reset token was issued: a user asks for at most one a minute.</summary>
    public DateTimeOffset? PasswordResetAt { get; private set; }

    /// <summary>Invited (no password yet), active, or deactivated.</summary>
    public UserStatus Status => !IsActive ? UserStatus.Deactivated : PasswordHash is null ? UserStatus.Invited : UserStatus.Active;

    /// <summary>Ends the user's access; their tokens stop working with the next request (the caller changes the
    /// security stamp and revokes their refresh tokens in the same unit of work).</summary>
    public void Deactivate(DateTimeOffset now) => (IsActive, DeactivatedAt) = (false, now);

    /// <summary>Lets a deactivated user sign in again, with their password. Their old tokens stay refused: the
    /// deactivation changed their security stamp.</summary>
    public void Reactivate(DateTimeOffset now)
    {
        if (IsActive)
        {
            throw new InvalidOperationException("The user is active.");
        }

        (IsActive, DeactivatedAt, ReactivatedAt) = (true, null, now);
    }

    /// <summary>The invitation was accepted: the user has a password from now on.</summary>
    public void Activated(DateTimeOffset now) => ActivatedAt ??= now;

    public void ChangeProfile(string displayName, string? language, string? timeZone, DateTimeOffset now) =>
        (DisplayName, Language, TimeZone, ProfileChangedAt) = (displayName, language, timeZone, now);

    /// <summary>Whether a new password reset token may be issued at the user's own request (one a minute).</summary>
    public bool MayRequestPasswordReset(DateTimeOffset now) => PasswordResetAt is not { } last || now - last >= PasswordReset.Throttle;

    public void PasswordResetIssued(DateTimeOffset now) => PasswordResetAt = now;

    /// <summary>The language in effect: the user's own, else their tenant's default (staff: English).</summary>
    public string LanguageIn(Tenant? tenant) => Language ?? Languages.DefaultFor(tenant?.Country);

    /// <summary>The time zone in effect: the user's own, else their tenant's (staff: UTC).</summary>
    public string TimeZoneIn(Tenant? tenant) => TimeZone ?? tenant?.TimeZone ?? "UTC";

    /// <summary>Sets which tenants a technician works for (their assignments are replaced alongside).</summary>
    public void AssignAllTenants(bool all, DateTimeOffset now) => (AllTenants, ScopeChangedAt) = (all, now);

    /// <summary>A member of staff's role changed (the caller replaces it through Identity in the same unit of work).</summary>
    public void RoleChanged(DateTimeOffset now) => RoleChangedAt = now;

    public static User Staff(string email, string displayName, DateTimeOffset now) => New(email, displayName, null, now);

    public static User OfTenant(Guid tenantId, string email, string displayName, DateTimeOffset now) => New(email, displayName, tenantId, now);

    /// <summary>The same user with an id chosen elsewhere (a mail sender the mail service admitted, decision 0082).</summary>
    public User WithId(Guid id)
    {
        Id = id;
        return this;
    }

    private static User New(string email, string displayName, Guid? tenantId, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        UserName = email,
        Email = email,
        DisplayName = displayName,
        TenantId = tenantId,
        CreatedAt = now,
        LockoutEnabled = true,
    };
}

public enum UserStatus
{
    Invited,
    Active,
    Deactivated,
}

public sealed class Role : IdentityRole<Guid>
{
    public Role()
    {
    }

    public Role(string name) : base(name) => Id = Guid.CreateVersion7();
}

/// <summary>The roles of ARCHITECTURE.md. Client roles are bound to one tenant; the others are the provider's staff.</summary>
public static class Roles
{
    public const string ClientUser = MspRoles.ClientUser;
    public const string ClientAdmin = MspRoles.ClientAdmin;
    public const string Technician = MspRoles.Technician;
    public const string Operator = MspRoles.Operator;
    public const string Admin = MspRoles.Admin;

    public static readonly string[] All = MspRoles.All;

    public static readonly string[] Client = [ClientUser, ClientAdmin];

    public static readonly string[] Staff = [Technician, Operator, Admin];
}

/// <summary>The languages the platform speaks. A user without a choice of their own gets their tenant's default.</summary>
public static class Languages
{
    public const string English = "en";
    public const string French = "fr";
    public const string Italian = "it";

    public static readonly string[] All = [English, French, Italian];

    /// <summary>French for a tenant in France, Italian for one in Italy, English otherwise (and for staff).</summary>
    public static string DefaultFor(string? country) => country?.ToUpperInvariant() switch
    {
        "FR" => French,
        "IT" => Italian,
        _ => English,
    };
}
