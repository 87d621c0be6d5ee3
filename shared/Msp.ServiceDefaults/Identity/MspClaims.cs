namespace Msp.ServiceDefaults.Identity;

/// <summary>The claims Msp puts in access tokens beyond Identity's own (id, name, roles, security stamp).</summary>
public static class MspClaims
{
    /// <summary>The tenant a client user belongs to.</summary>
    public const string TenantId = "msp:tenant_id";

    /// <summary>One per tenant assigned to a technician.</summary>
    public const string AssignedTenant = "msp:assigned_tenant";

    /// <summary>Present when a technician is assigned to every tenant.</summary>
    public const string AllTenants = "msp:all_tenants";

    /// <summary>When the token was issued, in Unix milliseconds. The handler's own issue time is kept to the second,
    /// too coarse to tell a token from a change made in the same second.</summary>
    public const string IssuedAt = "msp:issued_at";

    public static DateTimeOffset? IssuedAtOf(System.Security.Claims.ClaimsPrincipal user) =>
        long.TryParse(user.FindFirst(IssuedAt)?.Value, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}

/// <summary>Role names shared by every service (the Tenants service owns the users who hold them).</summary>
public static class MspRoles
{
    public const string ClientUser = nameof(ClientUser);
    public const string ClientAdmin = nameof(ClientAdmin);
    public const string Technician = nameof(Technician);
    public const string Operator = nameof(Operator);
    public const string Admin = nameof(Admin);

    public static readonly string[] All = [ClientUser, ClientAdmin, Technician, Operator, Admin];
}
