using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Msp.Messaging;
using Msp.Data;
using Msp.KnownParties;
using Msp.ServiceDefaults.Identity;
using Msp.Testing;

namespace Msp.Shared.Tests.Messaging;

/// <summary>A minimal service database: the shared messaging tables plus a counter a handler can bump.</summary>
public sealed class MessagingDb(DbContextOptions<MessagingDb> options) : DbContext(options), IScopedDb
{
    public TenantScope Scope { get; set; } = new();

    public DbSet<Counter> Counters => Set<Counter>();

    /// <summary>What a handler that is not idempotent on its own does: adds one to the counter, creating it at one.</summary>
    public async Task BumpAsync(string id, CancellationToken ct)
    {
        var counter = await Counters.FindAsync([id], ct);
        if (counter is null)
        {
            Counters.Add(new Counter { Id = id, Value = 1 });
        }
        else
        {
            counter.Value++;
        }
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Counter>().ToTable("counters");
        model.MapOutbox().UseSnakeCaseColumns();
    }

    public static async Task<TestDatabase> CreateAsync()
    {
        var db = await TestServers.CreateDatabaseAsync("msg");
        await new MigrationRunner(db.OwnerConnectionString, NullLogger.Instance).ApplyAsync(
            Migration.EmbeddedIn(typeof(OutboxMessage).Assembly)
                .Append(new Migration("0001_counters", "CREATE TABLE counters (id text PRIMARY KEY, value int NOT NULL);")),
            CancellationToken.None);
        return db;
    }

    public static MessagingDb Open(TestDatabase db) =>
        new(new DbContextOptionsBuilder<MessagingDb>().UseNpgsql(db.AppConnectionString).Options);
}

public sealed class Counter
{
    public string Id { get; set; } = "";

    public int Value { get; set; }
}
