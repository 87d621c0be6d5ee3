using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Msp.ServiceDefaults.Identity;
using Msp.KnownParties;
using Msp.Messaging;
using Msp.Data;
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

    public DbSet<TicketTimer> Timers => Set<TicketTimer>();

    public DbSet<HistoryEntry> History => Set<HistoryEntry>();

    public DbSet<TicketCategory> Categories => Set<TicketCategory>();

    public DbSet<TicketQueue> Queues => Set<TicketQueue>();

    public DbSet<IdempotencyKey> IdempotencyKeys => Set<IdempotencyKey>();

    public DbSet<TicketSlaDue> SlaDue => Set<TicketSlaDue>();

    public DbSet<CannedResponse> CannedResponses => Set<CannedResponse>();

    /// <summary>Saves the ticket with the history entries and events its changes raised, in one transaction.</summary>
    public async Task SaveTicketAsync(Ticket ticket, string? correlationId, CancellationToken ct)
    {
        StageChanges(ticket, correlationId);
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

    /// <summary>Adds the history entries and events the ticket's changes raised, to be written with the next save.</summary>
    public void StageChanges(Ticket ticket, string? correlationId)
    {
        var (history, events) = ticket.TakeChanges();
        History.AddRange(history);
        foreach (var e in events)
        {
            this.PublishOnSave(e, correlationId);
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

    /// <summary>Takes as many consecutive ticket numbers for each tenant as <paramref name="counts"/> asks, inside the
    /// current transaction (see <c>0001_tickets.sql</c>), and answers each tenant's first. One statement for a whole
    /// batch of creates; the counters are locked in the order of their tenant ids, so two batches that share tenants
    /// wait for each other rather than deadlock. A plain command: every create runs it, and EF would compile an
    /// interpolated query's parameters on each call.</summary>
    public async Task<Dictionary<Guid, long>> TakeNumbersAsync(IReadOnlyDictionary<Guid, int> counts, CancellationToken ct)
    {
        var transaction = Database.CurrentTransaction ?? throw new InvalidOperationException("Ticket numbers are taken inside the transaction that stores the tickets.");
        var tenants = counts.Keys.Order().ToArray();
        await using var command = Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText = """
            INSERT INTO ticket_counters (tenant_id, last_number)
            SELECT t.tenant_id, t.taken FROM unnest($1::uuid[], $2::bigint[]) AS t (tenant_id, taken) ORDER BY t.tenant_id
            ON CONFLICT (tenant_id) DO UPDATE SET last_number = ticket_counters.last_number + excluded.last_number
            RETURNING tenant_id, last_number
            """;
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = tenants });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = tenants.Select(t => (long)counts[t]).ToArray() });
        var first = new Dictionary<Guid, long>(tenants.Length);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var tenantId = reader.GetGuid(0);
            first[tenantId] = reader.GetInt64(1) - counts[tenantId] + 1;
        }

        return first;
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
        });
        model.Entity<TicketComment>(e =>
        {
            e.ToTable("ticket_comments");
            e.HasOne<Ticket>().WithMany().HasForeignKey(c => c.TicketId);
            e.Property(c => c.Visibility).HasConversion<string>();
        });
        model.Entity<TicketAttachment>(e =>
        {
            e.ToTable("ticket_attachments");
            e.HasOne<Ticket>().WithMany().HasForeignKey(a => a.TicketId);
            e.Property(a => a.Visibility).HasConversion<string>();
        });
        model.Entity<TimeEntry>(e =>
        {
            e.ToTable("time_entries");
            e.HasOne<Ticket>().WithMany().HasForeignKey(t => t.TicketId);
        });
        model.Entity<TicketTimer>(e =>
        {
            e.ToTable("ticket_timers");
            e.HasKey(t => new { t.TicketId, t.TechnicianId });
            e.HasOne<Ticket>().WithMany().HasForeignKey(t => t.TicketId);
            e.Property(t => t.RowVersion).IsXminRowVersion();
            e.Ignore(t => t.IsRunning);
        });
        model.Entity<HistoryEntry>(e =>
        {
            e.ToTable("ticket_history");
            e.HasKey(h => h.Id);
            e.HasOne<Ticket>().WithMany().HasForeignKey(h => h.TicketId);
        });
        model.Entity<TicketCategory>(e =>
        {
            e.ToTable("ticket_categories");
            e.HasKey(c => c.Key);
        });
        model.Entity<TicketQueue>(e => e.ToTable("ticket_queues"));
        model.Entity<CannedResponse>(e =>
        {
            e.ToTable("canned_responses");
            e.Property(c => c.Id).ValueGeneratedNever();
            e.Property(c => c.RowVersion).IsXminRowVersion();
            e.Ignore(c => c.IsRetired);
        });
        model.Entity<IdempotencyKey>(e =>
        {
            e.ToTable("idempotency_keys");
            e.HasKey(k => new { k.CallerId, k.Key });
            e.HasOne<Ticket>().WithMany().HasForeignKey(k => k.TicketId);
        });
        model.Entity<TicketSlaDue>(e =>
        {
            e.ToTable("ticket_sla_due");
            e.HasKey(s => s.TicketId);
            e.HasOne<Ticket>().WithOne(t => t.Sla).HasForeignKey<TicketSlaDue>(s => s.TicketId);
        });
        model.UseSnakeCaseColumns().FilterByTenantScope(this);
    }
}
