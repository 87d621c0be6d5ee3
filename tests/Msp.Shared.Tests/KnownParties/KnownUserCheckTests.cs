using System.Data.Common;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Msp.ServiceDefaults.Identity;
using Msp.KnownParties;
using Msp.Data;
using Msp.Testing;
using Npgsql;

namespace Msp.Shared.Tests.KnownParties;

/// <summary>A service keeps a user's state in memory until <c>known_users</c> changes, and hears of each change as it
/// commits: a busy user costs no query per request, and a deactivation is refused at once all the same.</summary>
public sealed class KnownUserCheckTests : IAsyncLifetime
{
    private readonly KnownUserChanges changes = new();
    private readonly CancellationTokenSource stop = new();
    private readonly CountingReads reads = new();
    private readonly IServiceProvider problems = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
    private TestDatabase database = null!;
    private KnownUserListener listener = null!;

    public async Task InitializeAsync()
    {
        database = await TestServers.CreateDatabaseAsync("users");
        await new MigrationRunner(database.OwnerConnectionString, NullLogger.Instance).ApplyAsync(
            Migration.EmbeddedIn(typeof(MigrationRunner).Assembly, "0000_access_scope").Concat(Migration.EmbeddedIn(typeof(KnownUser).Assembly, "0000_known_users", "0000_known_users_changes", "0000_known_users_lifecycle")),
            CancellationToken.None);
        listener = new KnownUserListener(database.AppConnectionString, changes, NullLogger<KnownUserListener>.Instance);
        await listener.StartAsync(stop.Token);
        await Eventually.HoldsAsync(() => Task.FromResult(changes.Listening), TimeSpan.FromSeconds(10), "the listener connects");
    }

    public async Task DisposeAsync()
    {
        await listener.StopAsync(CancellationToken.None);
        listener.Dispose();
        stop.Dispose();
    }

    /// <summary>A new user of a client, once the listener has heard of it (so that hearing it does not undo what a test holds).</summary>
    private async Task<Guid> UserAsync()
    {
        var (id, before) = (Guid.CreateVersion7(), changes.Generation);
        await database.ScalarAsync<int>("""
            INSERT INTO known_users (id, tenant_id, email, display_name, role, recorded_at, updated_at)
            VALUES ($1, $2, 'user@client.test', 'A user', 'ClientUser', now(), now()) RETURNING 1
            """, id, Guid.CreateVersion7());
        await Eventually.HoldsAsync(() => Task.FromResult(changes.Generation > before), TimeSpan.FromSeconds(5), "the insert is heard");
        return id;
    }

    /// <summary>Runs the check for one signed-in request of <paramref name="userId"/>: its status code, 200 when it passed.</summary>
    private async Task<int> RequestAsync(KnownUserCheck<UsersDb> check, Guid userId)
    {
        var context = new DefaultHttpContext
        {
            User = new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(ClaimTypes.NameIdentifier, userId.ToString()), new Claim(MspClaims.IssuedAt, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString())],
                "test")),
            Response = { Body = new MemoryStream() },
            RequestServices = problems,
        };
        await using var db = new UsersDb(new DbContextOptionsBuilder<UsersDb>().UseNpgsql(database.AppConnectionString)
            .AddInterceptors(reads, new TenantScopeInterceptor(new ConnectionScopes())).Options);
        db.Scope.AllowAll();
        await check.InvokeAsync(context, db);
        return context.Response.StatusCode;
    }

    private KnownUserCheck<UsersDb> Check(TimeSpan unheardFor) => new(
        _ => Task.CompletedTask,
        new MemoryCache(new MemoryCacheOptions()),
        changes,
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Msp:Auth:UserStateCacheDuration"] = unheardFor.ToString() }).Build());

    [Fact]
    public async Task AUsersState_IsReadOnce_WhileNothingChanges()
    {
        var check = Check(TimeSpan.FromMilliseconds(250));
        var userId = await UserAsync();

        for (var i = 0; i < 5; i++)
        {
            (await RequestAsync(check, userId)).ShouldBe(200);
        }

        reads.Count.ShouldBe(1);
    }

    [Fact]
    public async Task ADeactivation_IsRefused_AsSoonAsItCommits_ThoughTheStateWasHeld()
    {
        var check = Check(TimeSpan.FromMilliseconds(250));
        var userId = await UserAsync();
        (await RequestAsync(check, userId)).ShouldBe(200);
        (await RequestAsync(check, userId)).ShouldBe(200);
        reads.Count.ShouldBe(1);

        await database.ScalarAsync<int>("UPDATE known_users SET deactivated_at = now() WHERE id = $1 RETURNING 1", userId);

        await Eventually.HoldsAsync(async () => await RequestAsync(check, userId) == 401, TimeSpan.FromSeconds(5), "the deactivation is heard");
    }

    [Fact]
    public async Task AChange_IsHeardOnlyWhenItCommits()
    {
        var userId = await UserAsync();
        await using var connection = new NpgsqlConnection(database.OwnerConnectionString);
        await connection.OpenAsync();
        await new NpgsqlCommand("SELECT set_config('msp.all_tenants', 'on', false)", connection).ExecuteNonQueryAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await new NpgsqlCommand($"UPDATE known_users SET display_name = 'Renamed' WHERE id = '{userId}'", connection, transaction).ExecuteNonQueryAsync();
        var before = changes.Generation;
        await new NpgsqlCommand("SELECT pg_sleep(0.3)", connection, transaction).ExecuteNonQueryAsync();

        changes.Generation.ShouldBe(before, "an uncommitted change may still roll back");
        await transaction.CommitAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(changes.Generation > before), TimeSpan.FromSeconds(5), "the commit is heard");
    }

    [Fact]
    public async Task WhenTheListenerLosesItsConnection_HeldStatesAreReadAgain_AndItListensAgain()
    {
        var check = Check(TimeSpan.FromMinutes(10));
        var userId = await UserAsync();
        (await RequestAsync(check, userId)).ShouldBe(200);
        var heard = changes.Generation;

        // The application role may end its own sessions: this one ends the listener's.
        await using (var connection = new NpgsqlConnection(database.AppConnectionString))
        {
            await connection.OpenAsync();
            (await new NpgsqlCommand(
                $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query = 'LISTEN {KnownUserListener.Channel}' AND datname = current_database()",
                connection).ExecuteScalarAsync()).ShouldBe(1L);
        }

        await Eventually.HoldsAsync(() => Task.FromResult(changes.Generation > heard), TimeSpan.FromSeconds(15), "the loss is noticed");
        (await RequestAsync(check, userId)).ShouldBe(200);
        reads.Count.ShouldBe(2, "what was held while changes went unheard is not trusted");
        await Eventually.HoldsAsync(() => Task.FromResult(changes.Listening), TimeSpan.FromSeconds(15), "the listener reconnects");
    }

    [Fact]
    public async Task WithNoCacheConfigured_EveryRequestReadsTheState()
    {
        var check = Check(TimeSpan.Zero);
        var userId = await UserAsync();

        (await RequestAsync(check, userId)).ShouldBe(200);
        (await RequestAsync(check, userId)).ShouldBe(200);

        reads.Count.ShouldBe(2);
    }

    public sealed class UsersDb(DbContextOptions<UsersDb> options) : DbContext(options), IScopedDb
    {
        public TenantScope Scope { get; set; } = new();

        protected override void OnModelCreating(ModelBuilder model) => model.MapKnownUsers(this).UseSnakeCaseColumns();
    }

    /// <summary>Counts the reads of <c>known_users</c> the check makes.</summary>
    private sealed class CountingReads : DbCommandInterceptor
    {
        private int count;

        public int Count => count;

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("known_users", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref count);
            }

            return ValueTask.FromResult(result);
        }
    }
}
