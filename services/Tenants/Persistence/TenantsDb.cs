using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Messaging;
using Msp.ServiceDefaults.Persistence;
using Msp.ServiceDefaults.Tenancy;
using Msp.Tenants.Domain;

namespace Msp.Tenants.Persistence;

public sealed class TenantsDb(DbContextOptions<TenantsDb> options, TenantScope scope) : DbContext(options), IScopedDb
{
    public TenantScope Scope { get; } = scope;

    public DbSet<Tenant> Tenants => Set<Tenant>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Tenant>(e =>
        {
            e.ToTable("tenants");
            e.Property(t => t.Status).HasConversion<string>();
            e.HasQueryFilter(t => Scope.AllTenants || Scope.TenantIds.Contains(t.Id));
            e.Property(t => t.RowVersion).HasColumnName("xmin").HasColumnType("xid").IsRowVersion();
            e.ComplexProperty(t => t.PrimaryContact, c =>
            {
                c.Property(x => x.Name).HasColumnName("contact_name");
                c.Property(x => x.Email).HasColumnName("contact_email");
                c.Property(x => x.Phone).HasColumnName("contact_phone");
            });
        });
        model.MapOutbox().UseSnakeCaseColumns();
    }
}
