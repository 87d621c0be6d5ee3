using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Identity;
using Msp.ServiceDefaults.Messaging;
using Msp.ServiceDefaults.Persistence;
using Msp.ServiceDefaults.Tenancy;

namespace Msp.Billing.Persistence;

public sealed class BillingDb(DbContextOptions<BillingDb> options, TenantScope scope) : DbContext(options), IScopedDb
{
    public TenantScope Scope { get; } = scope;

    public DbSet<KnownTenant> KnownTenants => Set<KnownTenant>();

    public DbSet<KnownUser> KnownUsers => Set<KnownUser>();

    protected override void OnModelCreating(ModelBuilder model) =>
        model.MapOutbox().MapKnownTenants(this).MapKnownUsers(this).UseSnakeCaseColumns();
}
