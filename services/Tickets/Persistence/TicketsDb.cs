using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Msp.ServiceDefaults.Identity;
using Msp.ServiceDefaults.Messaging;
using Msp.ServiceDefaults.Persistence;
using Msp.ServiceDefaults.Tenancy;
using Msp.Tickets.Domain;

namespace Msp.Tickets.Persistence;

public sealed class TicketsDb(DbContextOptions<TicketsDb> options) : DbContext(options), IScopedDb
{
    public TenantScope Scope { get; set; } = new();

    public DbSet<KnownTenant> KnownTenants => Set<KnownTenant>();

    public DbSet<KnownUser> KnownUsers => Set<KnownUser>();

    public DbSet<Ticket> Tickets => Set<Ticket>();

    public DbSet<TicketComment> Comments => Set<TicketComment>();

    public DbSet<TicketAttachment> Attachments => Set<TicketAttachment>();

    public DbSet<TimeEntry> TimeEntries => Set<TimeEntry>();

    public DbSet<HistoryEntry> History => Set<HistoryEntry>();

    public DbSet<TicketCategory> Categories => Set<TicketCategory>();

    public DbSet<TicketQueue> Queues => Set<TicketQueue>();

    public DbSet<IdempotencyKey> IdempotencyKeys => Set<IdempotencyKey>();

    public DbSet<TicketSlaDue> SlaDue => Set<TicketSlaDue>();

    /// <summary>Saves the ticket with the history entries and events its changes raised, in one transaction.</summary>
    public async Task SaveTicketAsync(Ticket ticket, string? correlationId, CancellationToken ct)
    {
        var (history, events) = ticket.TakeChanges();
        History.AddRange(history);
        foreach (var e in events)
        {
            this.PublishOnSave(e, correlationId);
        }

        try
        {
            await SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation("ticket_history_ticket"))
        {
            // Another change of the same ticket took the same history position first: a concurrent change, as if
            // its version check had failed (which it would, had its statement run first).
            throw new DbUpdateConcurrencyException("The ticket was changed at the same time.", e);
        }
    }

    /// <summary>Runs an append to a ticket (a reply, a time entry) holding the ticket's row lock, so that appends to one
    /// ticket wait for each other rather than fail: they do not depend on each other. The lock is taken through
    /// row-level security, so a ticket outside the scope is neither locked nor found.</summary>
    public async Task<T> AppendAsync<T>(Guid ticketId, Func<Task<T>> append, CancellationToken ct)
    {
        await using var tx = await Database.BeginTransactionAsync(ct);
        await Database.ExecuteSqlAsync($"SELECT 1 FROM tickets WHERE id = {ticketId} FOR UPDATE", ct);
        var result = await append();
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>Takes the tenant's next ticket number inside the current transaction (see <c>0001_tickets.sql</c>). A plain
    /// command: every ticket created runs it, and EF would compile the parameters of an interpolated query on each call.</summary>
    public async Task<long> NextNumberAsync(Guid tenantId, CancellationToken ct)
    {
        var transaction = Database.CurrentTransaction ?? throw new InvalidOperationException("A ticket number is taken inside the transaction that stores the ticket.");
        await using var command = Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText = """
            INSERT INTO ticket_counters (tenant_id, last_number) VALUES ($1, 1)
            ON CONFLICT (tenant_id) DO UPDATE SET last_number = ticket_counters.last_number + 1
            RETURNING last_number
            """;
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = tenantId });
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.MapOutbox().MapKnownTenants(this).MapKnownUsers(this);
        model.Entity<Ticket>(e =>
        {
            e.ToTable("tickets");
            e.Property(t => t.Id).ValueGeneratedNever();
            e.Property(t => t.Source).HasConversion<string>();
            e.Property(t => t.Impact).HasConversion<string>();
            e.Property(t => t.Urgency).HasConversion<string>();
            e.Property(t => t.Priority).HasConversion<string>();
            e.Property(t => t.Status).HasConversion<string>();
            e.Property(t => t.RowVersion).IsXminRowVersion();
            // PostgreSQL computes the search vector (see 0001_tickets.sql). EF neither writes it nor reads it back after
            // a save; lists project it away. Only queries use it.
            var search = e.Property(t => t.Search).ValueGeneratedNever().Metadata;
            search.SetBeforeSaveBehavior(PropertySaveBehavior.Ignore);
            search.SetAfterSaveBehavior(PropertySaveBehavior.Ignore);
            e.Ignore(t => t.IsFinal);
            e.HasQueryFilter(t => Scope.AllTenants || Scope.TenantIds.Contains(t.TenantId));
        });
        model.Entity<TicketComment>(e =>
        {
            e.ToTable("ticket_comments");
            e.HasOne<Ticket>().WithMany().HasForeignKey(c => c.TicketId);
            e.Property(c => c.Visibility).HasConversion<string>();
            e.HasQueryFilter(c => Scope.AllTenants || Scope.TenantIds.Contains(c.TenantId));
        });
        model.Entity<TicketAttachment>(e =>
        {
            e.ToTable("ticket_attachments");
            e.HasOne<Ticket>().WithMany().HasForeignKey(a => a.TicketId);
            e.Property(a => a.Visibility).HasConversion<string>();
            e.HasQueryFilter(a => Scope.AllTenants || Scope.TenantIds.Contains(a.TenantId));
        });
        model.Entity<TimeEntry>(e =>
        {
            e.ToTable("time_entries");
            e.HasOne<Ticket>().WithMany().HasForeignKey(t => t.TicketId);
            e.HasQueryFilter(t => Scope.AllTenants || Scope.TenantIds.Contains(t.TenantId));
        });
        model.Entity<HistoryEntry>(e =>
        {
            e.ToTable("ticket_history");
            e.HasKey(h => h.Id);
            e.HasOne<Ticket>().WithMany().HasForeignKey(h => h.TicketId);
            e.HasQueryFilter(h => Scope.AllTenants || Scope.TenantIds.Contains(h.TenantId));
        });
        model.Entity<TicketCategory>(e =>
        {
            e.ToTable("ticket_categories");
            e.HasKey(c => c.Key);
        });
        model.Entity<TicketQueue>(e => e.ToTable("ticket_queues"));
        model.Entity<IdempotencyKey>(e =>
        {
            e.ToTable("idempotency_keys");
            e.HasKey(k => new { k.CallerId, k.Key });
            e.HasOne<Ticket>().WithMany().HasForeignKey(k => k.TicketId);
            e.HasQueryFilter(k => Scope.AllTenants || Scope.TenantIds.Contains(k.TenantId));
        });
        model.Entity<TicketSlaDue>(e =>
        {
            e.ToTable("ticket_sla_due");
            e.HasKey(s => s.TicketId);
            e.HasOne<Ticket>().WithOne(t => t.Sla).HasForeignKey<TicketSlaDue>(s => s.TicketId);
            e.HasQueryFilter(s => Scope.AllTenants || Scope.TenantIds.Contains(s.TenantId));
        });
        model.UseSnakeCaseColumns();
    }
}
