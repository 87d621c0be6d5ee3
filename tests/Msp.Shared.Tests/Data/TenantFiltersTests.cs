using Microsoft.EntityFrameworkCore;
using Msp.Data;
using Msp.Messaging;
using Msp.Testing;

namespace Msp.Shared.Tests.Data;

/// <summary>Every entity with a <c>Guid TenantId</c> is filtered to the context's scope by one convention, unless it says
/// it is read across tenants (the outbox). Read as the tables' owner, without row-level security's settings doing the
/// work, so that only the query filter stands between a scope and another tenant's rows.</summary>
public sealed class TenantFiltersTests
{
    [Fact]
    public async Task ATenantOwnedEntity_ShowsOnlyTheScopesRows_WhileTheOutboxShowsEveryTenants()
    {
        var database = await TestServers.CreateDatabaseAsync("filters");
        var (a, b) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await database.ScalarAsync<int>($$"""
            CREATE TABLE notes (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, text text NOT NULL);
            CREATE TABLE outbox (id uuid PRIMARY KEY, message_type text NOT NULL, payload jsonb NOT NULL, tenant_id uuid NOT NULL,
                correlation_id text, occurred_at timestamptz NOT NULL, published_at timestamptz, attempts integer NOT NULL DEFAULT 0,
                last_error text, trace_parent text);
            INSERT INTO notes VALUES (gen_random_uuid(), '{{a}}', 'of a'), (gen_random_uuid(), '{{b}}', 'of b');
            INSERT INTO outbox (id, message_type, payload, tenant_id, occurred_at) VALUES
                (gen_random_uuid(), 'x', '{}', '{{a}}', now()), (gen_random_uuid(), 'x', '{}', '{{b}}', now());
            SELECT 1
            """);

        await using var db = new NotesDb(new DbContextOptionsBuilder<NotesDb>().UseNpgsql(database.OwnerConnectionString).Options);
        db.Scope.Allow(a);
        (await db.Notes.Select(n => n.Text).ToListAsync()).ShouldBe(["of a"]);
        (await db.Set<OutboxMessage>().CountAsync()).ShouldBe(2, "the relay reads every tenant's events");

        db.Scope.Allow();
        (await db.Notes.CountAsync()).ShouldBe(0, "an empty scope sees nothing");
        db.Scope.AllowAll();
        (await db.Notes.CountAsync()).ShouldBe(2);
    }

    public sealed class Note
    {
        public Guid Id { get; init; }

        public Guid TenantId { get; init; }

        public string Text { get; init; } = "";
    }

    public sealed class NotesDb(DbContextOptions<NotesDb> options) : DbContext(options), IScopedDb
    {
        public TenantScope Scope { get; set; } = new();

        public DbSet<Note> Notes => Set<Note>();

        protected override void OnModelCreating(ModelBuilder model)
        {
            model.Entity<Note>().ToTable("notes");
            model.MapOutbox().UseSnakeCaseColumns().FilterByTenantScope(this);
        }
    }
}
