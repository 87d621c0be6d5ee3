using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Identity;
using Msp.ServiceDefaults.Messaging;
using Msp.ServiceDefaults.Persistence;
using Msp.ServiceDefaults.Tenancy;
using Msp.Billing.Domain;

namespace Msp.Billing.Persistence;

public sealed class BillingDb(DbContextOptions<BillingDb> options, TenantScope scope) : DbContext(options), IScopedDb
{
    public TenantScope Scope { get; } = scope;

    public DbSet<KnownTenant> KnownTenants => Set<KnownTenant>();

    public DbSet<KnownUser> KnownUsers => Set<KnownUser>();

    public DbSet<UsageEntry> Usage => Set<UsageEntry>();

    public DbSet<SlaBreachRecord> SlaBreaches => Set<SlaBreachRecord>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.MapOutbox().MapKnownTenants(this).MapKnownUsers(this);
        model.Entity<UsageEntry>(e =>
        {
            e.ToTable("usage_entries");
            e.HasKey(u => u.TimeEntryId);
            e.HasQueryFilter(u => Scope.AllTenants || Scope.TenantIds.Contains(u.TenantId));
        });
        model.Entity<SlaBreachRecord>(e =>
        {
            e.ToTable("sla_breaches");
            e.HasKey(b => new { b.TicketId, b.Clock });
            e.HasQueryFilter(b => Scope.AllTenants || Scope.TenantIds.Contains(b.TenantId));
        });
        model.UseSnakeCaseColumns();
    }
}
