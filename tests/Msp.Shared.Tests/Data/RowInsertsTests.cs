using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;
using Msp.Messaging;
using Msp.Data;
using Msp.Testing;

namespace Msp.Shared.Tests.Data;

/// <summary>Rows written by one unnest statement read back through EF exactly as EF would have written them.</summary>
public sealed class RowInsertsTests
{
    private const string Schema = """
        CREATE TABLE parcels (
            id          uuid PRIMARY KEY,
            label       text        NOT NULL,
            note        text,
            size        text        NOT NULL,
            weight      integer     NOT NULL,
            rating      smallint,
            sent_at     timestamptz NOT NULL,
            arrived_at  timestamptz,
            due_on      date,
            payload     jsonb       NOT NULL,
            fragile     boolean     NOT NULL,
            search      tsvector GENERATED ALWAYS AS (to_tsvector('simple', label)) STORED
        );
        CREATE TABLE parcel_items (
            parcel_id uuid NOT NULL REFERENCES parcels (id),
            line      integer NOT NULL,
            name      text NOT NULL,
            PRIMARY KEY (parcel_id, line)
        );
        CREATE TABLE outbox (
            id uuid PRIMARY KEY, message_type text NOT NULL, payload jsonb NOT NULL, tenant_id uuid NOT NULL,
            correlation_id text, occurred_at timestamptz NOT NULL, published_at timestamptz, attempts integer NOT NULL,
            last_error text, trace_parent text
        );
        """;

    [Fact]
    public async Task InsertRows_WritesEveryMappedColumn_AndReadsBackTheRowVersion()
    {
        var database = await CreateAsync();
        var sent = new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);
        var parcels = new List<Parcel>
        {
            new() { Id = Guid.CreateVersion7(), Label = "printer toner", Note = null, Size = ParcelSize.Large, Weight = 12, Rating = 4, SentAt = sent, ArrivedAt = sent.AddHours(5), DueOn = new DateOnly(2026, 3, 3), Payload = """{"tracking": "X1"}""", Fragile = true },
            new() { Id = Guid.CreateVersion7(), Label = "cables", Note = "two boxes", Size = ParcelSize.Small, Weight = 3, Rating = null, SentAt = sent.AddMinutes(1), ArrivedAt = null, DueOn = null, Payload = "[]", Fragile = false },
        };

        ParcelItem[] items = [new() { ParcelId = parcels[0].Id, Line = 1, Name = "black" }, new() { ParcelId = parcels[0].Id, Line = 2, Name = "cyan" }];
        await using (var db = ContextFor(database))
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            await db.InsertRowsAsync(parcels, CancellationToken.None);
            await db.InsertRowsAsync(items, CancellationToken.None);
            await tx.CommitAsync();
        }

        await using var read = ContextFor(database);
        var stored = await read.Parcels.AsNoTracking().OrderBy(p => p.SentAt).ToListAsync();
        stored.Count.ShouldBe(2);
        for (var i = 0; i < 2; i++)
        {
            (stored[i] with { Search = null }).ShouldBe(parcels[i]); // the row version read back included
            stored[i].RowVersion.ShouldNotBe(0u);
        }

        stored[0].Payload.ShouldBe("""{"tracking": "X1"}""");
        (await database.ScalarAsync<string>("SELECT size FROM parcels WHERE id = $1", parcels[0].Id)).ShouldBe("Large");
        (await database.ScalarAsync<string>("SELECT search::text FROM parcels WHERE id = $1", parcels[0].Id)).ShouldBe("'printer':1 'toner':2");
        (await database.ScalarAsync<long>("SELECT count(*) FROM parcel_items WHERE parcel_id = $1", parcels[0].Id)).ShouldBe(2);
        (await database.ScalarAsync<long>("SELECT xmin::text::bigint FROM parcel_items WHERE parcel_id = $1 AND line = 2", parcels[0].Id)).ShouldBe(items[1].RowVersion); // read back by a two-column key
    }

    [Fact]
    public async Task InsertRows_WhenOneRowIsRefused_WritesNoneOfThem()
    {
        var database = await CreateAsync();
        var taken = Guid.CreateVersion7();
        await using (var db = ContextFor(database))
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            await db.InsertRowsAsync([ABox(taken)], CancellationToken.None);
            await tx.CommitAsync();
        }

        await using (var db = ContextFor(database))
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            var error = await Should.ThrowAsync<Npgsql.PostgresException>(() => db.InsertRowsAsync([ABox(Guid.CreateVersion7()), ABox(taken)], CancellationToken.None));
            error.IsUniqueViolation("parcels_pkey").ShouldBeTrue();
        }

        (await database.ScalarAsync<long>("SELECT count(*) FROM parcels")).ShouldBe(1);
    }

    [Fact]
    public async Task InsertRows_OutsideATransaction_IsRefused()
    {
        var database = await CreateAsync();
        await using var db = ContextFor(database);

        await Should.ThrowAsync<InvalidOperationException>(() => db.InsertRowsAsync([ABox(Guid.CreateVersion7())], CancellationToken.None));

        (await database.ScalarAsync<long>("SELECT count(*) FROM parcels")).ShouldBe(0);
    }

    [Fact]
    public async Task SaveChangesInsertingRows_InsertsTheAddedRowsItself_AndLeavesOnlyTheUpdatesToEf()
    {
        var database = await CreateAsync();
        var existing = ABox(Guid.CreateVersion7());
        await using (var db = ContextFor(database))
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            await db.InsertRowsAsync([existing], CancellationToken.None);
            await tx.CommitAsync();
        }

        var efCommands = new List<string>();
        var fresh = ABox(Guid.CreateVersion7());
        await using (var db = ContextFor(database, new CommandLog(efCommands)))
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            var tracked = await db.Parcels.SingleAsync(p => p.Id == existing.Id);
            db.Entry(tracked).Property(p => p.Weight).CurrentValue = 99;
            db.Add(new ParcelItem { ParcelId = fresh.Id, Line = 1, Name = "blue" }); // added before its parcel: order is the save's
            db.Add(fresh);
            efCommands.Clear();

            (await db.SaveChangesInsertingRowsAsync(CancellationToken.None)).ShouldBe(3);
            await tx.CommitAsync();

            db.Entry(fresh).State.ShouldBe(EntityState.Unchanged);
            db.ChangeTracker.HasChanges().ShouldBeFalse();
        }

        efCommands.ShouldHaveSingleItem().ShouldStartWith("UPDATE");
        (await database.ScalarAsync<int>("SELECT weight FROM parcels WHERE id = $1", existing.Id)).ShouldBe(99);
        (await database.ScalarAsync<string>("SELECT name FROM parcel_items WHERE parcel_id = $1", fresh.Id)).ShouldBe("blue");
        (await database.ScalarAsync<long>("SELECT xmin::text::bigint FROM parcels WHERE id = $1", fresh.Id)).ShouldBe(fresh.RowVersion);
    }

    [Fact]
    public async Task OutboxRowsWrittenThisWay_WakeTheRelay_OnlyWhenTheirTransactionCommits()
    {
        var database = await CreateAsync();
        var signal = new OutboxSignal();

        foreach (var commit in new[] { false, true })
        {
            await using var db = ContextFor(database, new OutboxSignalInterceptor(signal));
            await using var tx = await db.Database.BeginTransactionAsync();
            await db.InsertRowsAsync([OutboxMessage.For(new ParcelSent(Guid.CreateVersion7(), Guid.CreateVersion7(), DateTimeOffset.UtcNow), null)], CancellationToken.None);
            (await signal.WaitAsync(TimeSpan.Zero, CancellationToken.None)).ShouldBeFalse(); // not before the commit
            if (commit)
            {
                await tx.CommitAsync();
            }
            else
            {
                await tx.RollbackAsync();
            }

            (await signal.WaitAsync(TimeSpan.Zero, CancellationToken.None)).ShouldBe(commit);
        }

        (await database.ScalarAsync<long>("SELECT count(*) FROM outbox")).ShouldBe(1);
    }

    private static Parcel ABox(Guid id) => new()
    {
        Id = id, Label = "box", Size = ParcelSize.Small, Weight = 1, SentAt = DateTimeOffset.UnixEpoch, Payload = "{}",
    };

    private static async Task<TestDatabase> CreateAsync()
    {
        var database = await TestServers.CreateDatabaseAsync("rows");
        await new MigrationRunner(database.OwnerConnectionString, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)
            .ApplyAsync([new Migration("0001_parcels", Schema)], CancellationToken.None);
        return database;
    }

    private static ParcelsDb ContextFor(TestDatabase database, params IInterceptor[] interceptors) =>
        new(new DbContextOptionsBuilder<ParcelsDb>().UseNpgsql(database.AppConnectionString).AddInterceptors(interceptors).Options);

    /// <summary>The commands EF itself runs (a row insert's statement does not pass through EF's interceptors).</summary>
    private sealed class CommandLog(List<string> commands) : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
            System.Data.Common.DbCommand command, CommandEventData eventData,
            InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default)
        {
            commands.Add(command.CommandText.Trim());
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            System.Data.Common.DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            commands.Add(command.CommandText.Trim());
            return ValueTask.FromResult(result);
        }
    }

    public enum ParcelSize { Small, Large }

    public sealed record ParcelSent(Guid EventId, Guid TenantId, DateTimeOffset OccurredAt) : Msp.Contracts.IIntegrationEvent;

    public sealed record Parcel
    {
        public Guid Id { get; init; }

        public string Label { get; init; } = "";

        public string? Note { get; init; }

        public ParcelSize Size { get; init; }

        public int Weight { get; init; }

        public short? Rating { get; init; }

        public DateTimeOffset SentAt { get; init; }

        public DateTimeOffset? ArrivedAt { get; init; }

        public DateOnly? DueOn { get; init; }

        public string Payload { get; init; } = "";

        public bool Fragile { get; init; }

        public NpgsqlTypes.NpgsqlTsVector? Search { get; init; }

        public uint RowVersion { get; private set; }
    }

    public sealed class ParcelItem
    {
        public Guid ParcelId { get; init; }

        public int Line { get; init; }

        public string Name { get; init; } = "";

        public uint RowVersion { get; private set; }
    }

    private sealed class ParcelsDb(DbContextOptions<ParcelsDb> options) : DbContext(options)
    {
        public DbSet<Parcel> Parcels => Set<Parcel>();

        protected override void OnModelCreating(ModelBuilder model)
        {
            model.MapOutbox();
            model.Entity<Parcel>(e =>
            {
                e.ToTable("parcels");
                e.Property(p => p.Id).ValueGeneratedNever();
                e.Property(p => p.Size).HasConversion<string>();
                e.Property(p => p.Payload).HasColumnType("jsonb");
                e.Property(p => p.RowVersion).IsXminRowVersion();
                var search = e.Property(p => p.Search).ValueGeneratedNever().Metadata;
                search.SetBeforeSaveBehavior(PropertySaveBehavior.Ignore);
                search.SetAfterSaveBehavior(PropertySaveBehavior.Ignore);
            });
            model.Entity<ParcelItem>(e =>
            {
                e.ToTable("parcel_items");
                e.HasKey(i => new { i.ParcelId, i.Line });
                e.Property(i => i.RowVersion).IsXminRowVersion();
                e.HasOne<Parcel>().WithMany().HasForeignKey(i => i.ParcelId);
            });
            model.UseSnakeCaseColumns();
        }
    }
}
