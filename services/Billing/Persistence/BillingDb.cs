using Microsoft.EntityFrameworkCore;
using Msp.Billing.Domain;
using Msp.ServiceDefaults.Identity;
using Msp.KnownParties;
using Msp.Messaging;
using Msp.Data;

namespace Msp.Billing.Persistence;

public sealed class BillingDb(DbContextOptions<BillingDb> options) : DbContext(options), IScopedDb
{
    public TenantScope Scope { get; set; } = new();

    public DbSet<KnownTenant> KnownTenants => Set<KnownTenant>();

    public DbSet<KnownUser> KnownUsers => Set<KnownUser>();

    public DbSet<UsageEntry> Usage => Set<UsageEntry>();

    public DbSet<SlaBreachRecord> SlaBreaches => Set<SlaBreachRecord>();

    public DbSet<BillingAccount> Accounts => Set<BillingAccount>();

    public DbSet<Contract> Contracts => Set<Contract>();

    public DbSet<Invoice> Invoices => Set<Invoice>();

    public DbSet<BilledTime> BilledTime => Set<BilledTime>();

    public DbSet<InvoiceRun> InvoiceRuns => Set<InvoiceRun>();

    public DbSet<BlockAlert> BlockAlerts => Set<BlockAlert>();

    public DbSet<SlaPolicy> SlaPolicies => Set<SlaPolicy>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.MapOutbox().MapKnownTenants(this).MapKnownUsers(this);
        model.Entity<UsageEntry>(e =>
        {
            e.ToTable("usage_entries");
            e.HasKey(u => u.TimeEntryId);
        });
        model.Entity<SlaBreachRecord>(e =>
        {
            e.ToTable("sla_breaches");
            e.HasKey(b => new { b.TicketId, b.Clock });
        });
        model.Entity<BillingAccount>(e =>
        {
            e.ToTable("billing_accounts");
            e.HasKey(a => a.TenantId);
            e.Property(a => a.FeeTiming).HasConversion<string>();
            e.Ignore(a => a.ZeroTax);
            e.Property(a => a.RowVersion).IsXminRowVersion();
        });
        model.Entity<Contract>(e =>
        {
            e.ToTable("contracts");
            e.Property(c => c.Kind).HasConversion<string>();
            e.Property(c => c.Status).HasConversion<string>();
            e.Property(c => c.Fee).AsJson();
            e.Property(c => c.Blocks).AsJson();
            e.Property(c => c.Rates).AsJson();
            e.Property(c => c.SlaCredit).AsJson();
            e.Property(c => c.RowVersion).IsXminRowVersion();
            e.Ignore(c => c.Terms);
        });
        model.Entity<Invoice>(e =>
        {
            e.ToTable("invoices");
            e.Property(i => i.Kind).HasConversion<string>();
            e.Property(i => i.Status).HasConversion<string>();
            e.Property(i => i.Lines).AsJson();
            e.Property(i => i.RowVersion).IsXminRowVersion();
        });
        model.Entity<BilledTime>(e =>
        {
            e.ToTable("billed_time");
            e.HasKey(b => new { b.InvoiceId, b.Seq });
        });
        model.Entity<InvoiceRun>(e =>
        {
            e.ToTable("invoice_runs");
            e.Property(r => r.Status).HasConversion<string>();
        });
        model.Entity<BlockAlert>(e =>
        {
            e.ToTable("block_alerts");
            e.HasKey(a => new { a.ContractId, a.ThresholdPercent, a.HoursBought });
        });
        model.Entity<SlaPolicy>(e =>
        {
            e.ToTable("sla_policies");
            e.Property(p => p.Id).ValueGeneratedNever();
        });
        model.UseSnakeCaseColumns().FilterByTenantScope(this);
    }
}
