using Microsoft.EntityFrameworkCore;
using Msp.Contracts;
using Msp.Contracts.Tenants;
using Msp.Data;
using Msp.ServiceDefaults.Identity;

namespace Msp.KnownParties;

/// <summary>A downstream service's copy of a user, kept from the Tenants service's events. Events may arrive out of
/// order or twice: a deactivation and a reactivation only undo an older one, a technician's tenants, a role and a
/// profile only move to a newer one.</summary>
public sealed class KnownUser
{
    private KnownUser()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>Null for the provider's staff.</summary>
    public Guid? TenantId { get; private set; }

    public string Email { get; private set; } = "";

    public string DisplayName { get; private set; } = "";

    public string Role { get; private set; } = "";

    public bool AllTenants { get; private set; }

    public Guid[] AssignedTenants { get; private set; } = [];

    /// <summary>Tokens issued before this instant are refused (the technician's scope changed since).</summary>
    public DateTimeOffset? SessionsValidFrom { get; private set; }

    public DateTimeOffset? DeactivatedAt { get; private set; }

    /// <summary>The last reactivation. Tokens issued before it predate the deactivation it undid, and are refused.</summary>
    public DateTimeOffset? ReactivatedAt { get; private set; }

    /// <summary>The last role change. Tokens issued before it carry the old role, and are refused.</summary>
    public DateTimeOffset? RoleChangedAt { get; private set; }

    /// <summary>When the e-mail and display name held were current (an invitation or a profile change).</summary>
    public DateTimeOffset? ProfileAt { get; private set; }

    public DateTimeOffset RecordedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public bool IsStaff => TenantId is null;

    public bool IsActive => DeactivatedAt is null;

    /// <summary>Whether this member of staff may work on <paramref name="tenantId"/>'s tickets.</summary>
    public bool Serves(Guid tenantId) =>
        IsStaff && IsActive && (Role is MspRoles.Operator or MspRoles.Admin || AllTenants || AssignedTenants.Contains(tenantId));

    /// <summary>Whether a token issued at <paramref name="issuedAt"/> still speaks for this user.</summary>
    public bool Accepts(DateTimeOffset? issuedAt)
    {
        return IsActive && IssuedSince(SessionsValidFrom) && IssuedSince(ReactivatedAt) && IssuedSince(RoleChangedAt);

        bool IssuedSince(DateTimeOffset? instant) => instant is null || (issuedAt is { } issued && issued >= instant);
    }


    public static KnownUser Stub(Guid id, Guid tenantId, DateTimeOffset now) => new()
    {
        Id = id, TenantId = tenantId == Provider.TenantId ? null : tenantId, RecordedAt = now, UpdatedAt = now,
    };

    /// <summary>Takes the invitation's e-mail, name and role unless a newer profile or role is held (an invitation is
    /// re-sent with the values of its time). The same invitation again (the Tenants service announcing every user anew,
    /// decision 0128) changes nothing, not even <see cref="UpdatedAt"/>.</summary>
    public void Apply(UserInvited e, DateTimeOffset now)
    {
        var (email, displayName, profileAt, role) = (Email, DisplayName, ProfileAt, Role);
        if (ProfileAt is null || e.OccurredAt > ProfileAt)
        {
            (email, displayName, profileAt) = (e.Email, e.DisplayName, e.OccurredAt);
        }

        if (RoleChangedAt is null || e.OccurredAt > RoleChangedAt)
        {
            role = e.Role;
        }

        if ((email, displayName, profileAt, role) != (Email, DisplayName, ProfileAt, Role))
        {
            (Email, DisplayName, ProfileAt, Role, UpdatedAt) = (email, displayName, profileAt, role, now);
        }
    }

    /// <summary>Ends access, unless a later reactivation undid this deactivation already, or the deactivation held is as
    /// late (the same one again changes nothing).</summary>
    public void Apply(UserDeactivated e, DateTimeOffset now)
    {
        if (ReactivatedAt >= e.OccurredAt || DeactivatedAt >= e.OccurredAt)
        {
            return;
        }

        (DeactivatedAt, UpdatedAt) = (e.OccurredAt, now);
    }

    /// <summary>Restores access, unless the deactivation held is newer than this reactivation.</summary>
    public void Apply(UserReactivated e, DateTimeOffset now)
    {
        if (DeactivatedAt >= e.OccurredAt || ReactivatedAt >= e.OccurredAt)
        {
            return;
        }

        (DeactivatedAt, ReactivatedAt, UpdatedAt) = (null, e.OccurredAt, now);
    }

    public void Apply(UserProfileChanged e, DateTimeOffset now)
    {
        if (ProfileAt >= e.OccurredAt)
        {
            return;
        }

        (Email, DisplayName, ProfileAt, UpdatedAt) = (e.Email, e.DisplayName, e.OccurredAt, now);
    }

    public void Apply(UserRoleChanged e, DateTimeOffset now)
    {
        if (RoleChangedAt >= e.OccurredAt)
        {
            return;
        }

        (Role, RoleChangedAt, UpdatedAt) = (e.Role, e.OccurredAt, now);
    }

    /// <summary>Takes the assignment unless a newer one is held already.</summary>
    public void Apply(TechnicianScopeChanged e, DateTimeOffset now)
    {
        if (SessionsValidFrom is { } held && held >= e.OccurredAt)
        {
            return;
        }

        (AllTenants, AssignedTenants, SessionsValidFrom, UpdatedAt) = (e.AllTenants, [.. e.TenantIds], e.OccurredAt, now);
    }
}

public static class KnownUserModel
{
    /// <summary>Maps <c>known_users</c>: a scope sees its tenants' users and every member of staff (as row-level
    /// security does).</summary>
    public static ModelBuilder MapKnownUsers<TDb>(this ModelBuilder model, TDb db) where TDb : DbContext, IScopedDb
    {
        model.Entity<KnownUser>(e =>
        {
            e.ToTable("known_users");
            e.HasKey(u => u.Id);
            e.Property(u => u.Id).ValueGeneratedNever();
            e.Ignore(u => u.IsStaff);
            e.Ignore(u => u.IsActive);
            e.HasQueryFilter(u => u.TenantId == null || db.Scope.AllTenants || db.Scope.TenantIds.Contains(u.TenantId.Value));
        });
        return model;
    }
}
