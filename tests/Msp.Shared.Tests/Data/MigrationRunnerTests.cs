using Microsoft.Extensions.Logging.Abstractions;
using Msp.Data;
using Msp.Messaging;
using Msp.Testing;

namespace Msp.Shared.Tests.Data;

public sealed class MigrationRunnerTests
{
    private static MigrationRunner RunnerFor(TestDatabase db) => new(db.OwnerConnectionString, NullLogger.Instance);

    private static readonly Migration First = new("0001_first", "CREATE TABLE a (id int PRIMARY KEY);");
    private static readonly Migration Second = new("0002_second", "INSERT INTO a VALUES (1);");

    [Fact]
    public async Task Apply_RunsFilesInVersionOrderAndRecordsEach()
    {
        var db = await TestServers.CreateDatabaseAsync("mig");

        var applied = await RunnerFor(db).ApplyAsync([Second, First], CancellationToken.None);

        applied.ShouldBe(["0001_first", "0002_second"]);
        (await db.ScalarAsync<long>("SELECT count(*) FROM a")).ShouldBe(1);
        (await db.ScalarAsync<string>("SELECT checksum FROM schema_migrations WHERE version = '0001_first'")).ShouldBe(First.Checksum);
    }

    [Fact]
    public async Task Apply_Again_AppliesNothingNew()
    {
        var db = await TestServers.CreateDatabaseAsync("mig");
        await RunnerFor(db).ApplyAsync([First, Second], CancellationToken.None);

        var applied = await RunnerFor(db).ApplyAsync([First, Second], CancellationToken.None);

        applied.ShouldBeEmpty();
        (await db.ScalarAsync<long>("SELECT count(*) FROM a")).ShouldBe(1);
    }

    [Fact]
    public async Task Apply_WhenAnAppliedFileChanged_RefusesAndAppliesNothing()
    {
        var db = await TestServers.CreateDatabaseAsync("mig");
        await RunnerFor(db).ApplyAsync([First], CancellationToken.None);
        var edited = First with { Sql = "CREATE TABLE a (id bigint PRIMARY KEY);" };

        var error = await Should.ThrowAsync<MigrationException>(() => RunnerFor(db).ApplyAsync([edited, Second], CancellationToken.None));

        error.Message.ShouldContain("0001_first");
        (await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations")).ShouldBe(1);
        (await db.ScalarAsync<long>("SELECT count(*) FROM a")).ShouldBe(0);
    }

    [Fact]
    public async Task Apply_AFailingFile_LeavesNothingOfItAndStops()
    {
        var db = await TestServers.CreateDatabaseAsync("mig");
        var broken = new Migration("0002_broken", "CREATE TABLE b (id int); SELECT no_such_function();");

        await Should.ThrowAsync<Npgsql.PostgresException>(() => RunnerFor(db).ApplyAsync([First, broken], CancellationToken.None));

        (await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations")).ShouldBe(1);
        (await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename = 'b'")).ShouldBe(0);
    }

    [Fact]
    public async Task Apply_FromSeveralReplicasAtOnce_AppliesEachFileOnce()
    {
        var db = await TestServers.CreateDatabaseAsync("mig");
        var slow = new Migration("0001_slow", "SELECT pg_sleep(0.3); CREATE TABLE c (id int);");

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RunnerFor(db).ApplyAsync([slow], CancellationToken.None)));

        results.Sum(r => r.Count).ShouldBe(1);
        (await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations")).ShouldBe(1);
    }

    [Fact]
    public void EmbeddedIn_FindsALayersMigration_InItsMigrationsFolder()
    {
        var found = Migration.EmbeddedIn(typeof(OutboxMessage).Assembly, "0000_messaging").Single();

        found.Sql.ShouldContain("CREATE TABLE outbox");
        found.Sql.ShouldContain("CREATE TABLE inbox");
    }
}
