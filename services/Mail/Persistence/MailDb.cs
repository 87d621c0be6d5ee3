using Microsoft.EntityFrameworkCore;
using Msp.Data;
using Msp.KnownParties;
using Msp.Mail.Domain;
using Msp.Messaging;

namespace Msp.Mail.Persistence;

public sealed class MailDb(DbContextOptions<MailDb> options) : DbContext(options), IScopedDb
{
    public TenantScope Scope { get; set; } = new();

    public DbSet<KnownTenant> KnownTenants => Set<KnownTenant>();

    public DbSet<KnownUser> KnownUsers => Set<KnownUser>();

    public DbSet<Delivery> Deliveries => Set<Delivery>();

    public DbSet<InboundMessage> InboundMessages => Set<InboundMessage>();

    public DbSet<MailTicket> Tickets => Set<MailTicket>();

    public DbSet<TenantMailDomains> TenantDomains => Set<TenantMailDomains>();

    public DbSet<AdmittedSender> AdmittedSenders => Set<AdmittedSender>();

    public DbSet<MailRecipient> Recipients => Set<MailRecipient>();

    public DbSet<Mailbox> Mailboxes => Set<Mailbox>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.MapOutbox().MapKnownTenants(this).MapKnownUsers(this);
        model.Entity<Delivery>(e =>
        {
            e.ToTable("deliveries");
            e.Property(d => d.Id).ValueGeneratedNever();
            e.Property(d => d.Status).HasConversion<string>();
            e.Property(d => d.Model).AsJson();
        });
        model.Entity<InboundMessage>(e =>
        {
            e.ToTable("inbound_messages");
            e.Property(m => m.Id).ValueGeneratedNever();
            e.Property(m => m.Outcome).HasConversion<string>();
            // Rows of no tenant yet are the provider's: only a scope of every tenant sees them (as row-level security does).
            e.HasQueryFilter(m => m.TenantId == null ? Scope.AllTenants : Scope.AllTenants || Scope.TenantIds.Contains(m.TenantId.Value));
        });
        model.Entity<MailTicket>(e =>
        {
            e.ToTable("mail_tickets");
            e.HasKey(t => t.TicketId);
        });
        model.Entity<TenantMailDomains>(e =>
        {
            e.ToTable("tenant_mail_domains");
            e.HasKey(t => t.TenantId);
        });
        model.Entity<AdmittedSender>(e =>
        {
            e.ToTable("admitted_senders");
            e.HasKey(s => s.Email);
        });
        model.Entity<MailRecipient>(e =>
        {
            e.ToTable("mail_recipients");
            e.HasKey(r => r.UserId);
            e.HasQueryFilter(r => r.TenantId == null || Scope.AllTenants || Scope.TenantIds.Contains(r.TenantId.Value));
        });
        model.Entity<Mailbox>(e =>
        {
            e.ToTable("mailboxes");
            e.HasKey(m => m.Name);
        });
        model.UseSnakeCaseColumns().FilterByTenantScope(this);
    }
}
