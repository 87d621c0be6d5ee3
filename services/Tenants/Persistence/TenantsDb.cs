using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Messaging;
using Msp.ServiceDefaults.Persistence;
using Msp.ServiceDefaults.Tenancy;
using Msp.Tenants.Domain;

namespace Msp.Tenants.Persistence;

public sealed class TenantsDb(DbContextOptions<TenantsDb> options)
    : IdentityDbContext<User, Role, Guid>(options), IScopedDb
{
    public TenantScope Scope { get; set; } = new();

    public DbSet<Tenant> Tenants => Set<Tenant>();

    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();

    public DbSet<Invitation> Invitations => Set<Invitation>();

    public DbSet<PasswordReset> PasswordResets => Set<PasswordReset>();

    public DbSet<TechnicianTenant> TechnicianTenants => Set<TechnicianTenant>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);
        model.Entity<Tenant>(e =>
        {
            e.ToTable("tenants");
            e.Property(t => t.Status).HasConversion<string>();
            e.HasQueryFilter(t => Scope.AllTenants || Scope.TenantIds.Contains(t.Id));
            e.Property(t => t.RowVersion).IsXminRowVersion();
            e.ComplexProperty(t => t.PrimaryContact, c =>
            {
                c.Property(x => x.Name).HasColumnName("contact_name");
                c.Property(x => x.Email).HasColumnName("contact_email");
                c.Property(x => x.Phone).HasColumnName("contact_phone");
            });
        });
        model.Entity<User>(e =>
        {
            e.ToTable("users");
            e.Ignore(u => u.Status);
            // Staff (no tenant) are visible only to a scope of every tenant, as the row-level security policy says.
            e.HasQueryFilter(u => Scope.AllTenants || (u.TenantId != null && Scope.TenantIds.Contains(u.TenantId.Value)));
        });
        model.Entity<Role>().ToTable("roles");
        model.Entity<IdentityUserRole<Guid>>().ToTable("user_roles");
        model.Entity<IdentityUserClaim<Guid>>().ToTable("user_claims");
        model.Entity<IdentityUserLogin<Guid>>().ToTable("user_logins");
        model.Entity<IdentityUserToken<Guid>>().ToTable("user_tokens");
        model.Entity<IdentityRoleClaim<Guid>>().ToTable("role_claims");
        model.Entity<RefreshToken>(e =>
        {
            e.ToTable("refresh_tokens");
            e.Property(t => t.RowVersion).IsXminRowVersion();
        });
        model.Entity<Invitation>(e =>
        {
            e.ToTable("invitations");
            e.Property(t => t.RowVersion).IsXminRowVersion();
        });
        model.Entity<PasswordReset>(e =>
        {
            e.ToTable("password_resets");
            e.Property(t => t.RowVersion).IsXminRowVersion();
            e.HasQueryFilter(r => Scope.AllTenants || (r.TenantId != null && Scope.TenantIds.Contains(r.TenantId.Value)));
        });
        model.Entity<TechnicianTenant>(e =>
        {
            e.ToTable("technician_tenants");
            e.HasKey(t => new { t.UserId, t.TenantId });
            e.HasQueryFilter(t => Scope.AllTenants || Scope.TenantIds.Contains(t.TenantId));
        });
        model.MapOutbox().UseSnakeCaseColumns();
    }
}
