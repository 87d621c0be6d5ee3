using Microsoft.EntityFrameworkCore;
using Msp.Contracts;
using Msp.Contracts.Tenants;
using Msp.Data;
using Msp.ServiceDefaults.Identity;

namespace Msp.KnownParties;

/// <summary>A downstream service's copy of a user, kept from the Tenants service's events. Events may arrive out of
/// order or twice: a deactivation is never undone by an older event, and a technician's tenants only move to a newer
/// assignment.</summary>
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

    public DateTimeOffset RecordedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public bool IsStaff => TenantId is null;

    public bool IsActive => DeactivatedAt is null;

    /// <summary>Whether this member of staff may work on <paramref name="tenantId"/>'s tickets.</summary>
    public bool Serves(Guid tenantId) =>
        IsStaff && IsActive && (Role is MspRoles.Operator or MspRoles.Admin || AllTenants || AssignedTenants.Contains(tenantId));

    /// <summary>Whether a token issued at <paramref name="issuedAt"/> still speaks for this user.</summary>
    public bool Accepts(DateTimeOffset? issuedAt) =>
        IsActive && (SessionsValidFrom is null || (issuedAt is { } issued && issued >= SessionsValidFrom));

    public static KnownUser Stub(Guid id, Guid tenantId, DateTimeOffset now) => new()
    {
        Id = id, TenantId = tenantId == Provider.TenantId ? null : tenantId, RecordedAt = now, UpdatedAt = now,
    };

    public void Apply(UserInvited e, DateTimeOffset now) =>
        (Email, DisplayName, Role, UpdatedAt) = (e.Email, e.DisplayName, e.Role, now);

    public void Apply(UserDeactivated e, DateTimeOffset now) =>
        (DeactivatedAt, UpdatedAt) = (DeactivatedAt ?? e.OccurredAt, now);

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
