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

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Ends the user's access; their tokens stop working with the next request (the caller changes the
    /// security stamp and revokes their refresh tokens in the same unit of work).</summary>
    public void Deactivate() => IsActive = false;

    /// <summary>Sets which tenants a technician works for (their assignments are replaced alongside).</summary>
    public void AssignAllTenants(bool all) => AllTenants = all;

    public static User Staff(string email, string displayName, DateTimeOffset now) => New(email, displayName, null, now);

    public static User OfTenant(Guid tenantId, string email, string displayName, DateTimeOffset now) => New(email, displayName, tenantId, now);

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
}
