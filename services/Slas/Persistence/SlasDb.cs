using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Msp.ServiceDefaults.Identity;
using Msp.KnownParties;
using Msp.Messaging;
using Msp.Data;
using Msp.Slas.Domain;

namespace Msp.Slas.Persistence;

public sealed class SlasDb(DbContextOptions<SlasDb> options) : DbContext(options), IScopedDb
{
    public TenantScope Scope { get; set; } = new();

    public DbSet<KnownTenant> KnownTenants => Set<KnownTenant>();

    public DbSet<KnownUser> KnownUsers => Set<KnownUser>();

    public DbSet<SlaCalendar> Calendars => Set<SlaCalendar>();

    public DbSet<SlaPolicy> Policies => Set<SlaPolicy>();

    public DbSet<TenantSlaSetting> TenantSettings => Set<TenantSlaSetting>();

    public DbSet<SlaTicket> Tickets => Set<SlaTicket>();

    public DbSet<TicketFact> Facts => Set<TicketFact>();

    public DbSet<SlaClock> Clocks => Set<SlaClock>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.MapOutbox().MapKnownTenants(this).MapKnownUsers(this);
        model.Entity<SlaCalendar>(e =>
        {
            e.ToTable("sla_calendars");
            e.Property(c => c.Id).ValueGeneratedNever();
            e.Property(c => c.Hours).AsJson();
            e.Property(c => c.Holidays).AsJson();
            e.Property(c => c.RowVersion).IsXminRowVersion();
        });
        model.Entity<SlaPolicy>(e =>
        {
            e.ToTable("sla_policies");
            e.Property(p => p.Id).ValueGeneratedNever();
            e.Property(p => p.Targets).AsJson();
            e.Property(p => p.RowVersion).IsXminRowVersion();
            e.HasOne<SlaCalendar>().WithMany().HasForeignKey(p => p.CalendarId);
        });
        model.Entity<TenantSlaSetting>(e =>
        {
            e.ToTable("tenant_sla_settings");
            e.HasKey(s => s.TenantId);
        });
        model.Entity<SlaTicket>(e =>
        {
            e.ToTable("sla_tickets");
            e.HasKey(t => t.TicketId);
            e.Property(t => t.Terms).AsJson();
        });
        model.Entity<TicketFact>(e =>
        {
            e.ToTable("sla_ticket_facts");
            e.HasKey(f => new { f.TicketId, f.Sequence });
            e.Property(f => f.Kind).HasConversion<string>();
            e.Ignore(f => f.At);
        });
        model.Entity<SlaClock>(e =>
        {
            e.ToTable("sla_clocks");
            e.HasKey(c => new { c.TicketId, c.Kind });
            e.Property(c => c.Kind).HasConversion<string>();
            e.Property(c => c.State).HasConversion<string>();
            e.Property(c => c.Ledger).AsJson();
            e.Property(c => c.RowVersion).IsXminRowVersion();
        });
        model.UseSnakeCaseColumns().FilterByTenantScope(this);
    }
}
