using Msp.Data;
using Msp.Tenants.Identity;

namespace Msp.Tenants.Persistence;

/// <summary>The request fields guarded by constraints whose names do not say them (see <see cref="DatabaseProblems"/>).</summary>
public static class TenantsConstraints
{
    public static readonly ConstraintField[] Fields =
    [
        new(Inviting.EmailTaken, "email", "A user with this email exists already."),
        new("technician_tenants_pkey", "tenantIds", "The technician's tenants were changed at the same time; read them again and retry."),
        new("technician_tenants_tenant_id_fkey", "tenantIds", "Unknown tenant."),
    ];
}
