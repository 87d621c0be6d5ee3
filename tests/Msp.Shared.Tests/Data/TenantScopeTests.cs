using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Msp.Data;
using Msp.KnownParties;
using Msp.ServiceDefaults.Identity;
using Msp.Shared.Tests.Messaging;
using Msp.Testing;
using Npgsql;

namespace Msp.Shared.Tests.Data;

/// <summary>A pooled connection keeps its session settings from one unit of work to the next; the scope each unit of
/// work sees must be its own all the same.</summary>
public sealed class TenantScopeTests
{
    private static async Task<string> SettingsSeenAsync(NpgsqlDataSource source, ConnectionScopes scopes, Action<TenantScope> decide)
    {
        var scope = new TenantScope();
        decide(scope);
        await using var db = new MessagingDb(new DbContextOptionsBuilder<MessagingDb>()
            .UseNpgsql(source).AddInterceptors(new TenantScopeInterceptor(scopes)).Options) { Scope = scope };
        return (await db.Database.SqlQuery<string>(
            $"SELECT current_setting('msp.all_tenants', true) || ' ' || current_setting('msp.tenant_ids', true) AS \"Value\"").ToListAsync()).Single();
    }

    /// <summary>A pool of one connection, configured as the services' pools are, so that every unit of work reuses it.</summary>
    private static NpgsqlDataSource OneConnection(Msp.Testing.TestDatabase database, ConnectionScopes scopes) =>
        ServiceDatabase.ScopedDataSource(
            new NpgsqlConnectionStringBuilder(database.AppConnectionString) { MaxPoolSize = 1, NoResetOnClose = true }.ConnectionString, scopes);

    [Fact]
    public async Task EachUnitOfWork_SeesItsOwnScope_OnOneReusedConnection()
    {
        var database = await MessagingDb.CreateAsync();
        var scopes = new ConnectionScopes();
        await using var source = OneConnection(database, scopes);
        var (a, b) = (Guid.CreateVersion7(), Guid.CreateVersion7());

        (await SettingsSeenAsync(source, scopes, s => s.Allow(a))).ShouldBe($"off {{{a}}}");
        (await SettingsSeenAsync(source, scopes, s => s.Allow(b))).ShouldBe($"off {{{b}}}");
        (await SettingsSeenAsync(source, scopes, s => s.AllowAll())).ShouldBe("on {}");
        (await SettingsSeenAsync(source, scopes, s => s.Allow(b))).ShouldBe($"off {{{b}}}");
        (await SettingsSeenAsync(source, scopes, _ => { })).ShouldBe("off {}", "a scope nobody decided shows nothing");
    }

    [Fact]
    public async Task TheScope_IsSentOnlyToAConnectionThatDoesNotHoldIt_AndANewConnectionHoldsNone()
    {
        var database = await MessagingDb.CreateAsync();
        var scopes = new ConnectionScopes();
        await using var source = OneConnection(database, scopes);
        var a = Guid.CreateVersion7();
        await SettingsSeenAsync(source, scopes, s => s.Allow(a));

        // Behind the tracker's back (nothing in the services does this), the connection's settings change: a unit of work
        // with the same scope as before sends nothing, so it sees what the connection holds.
        await using (var connection = await source.OpenConnectionAsync())
        {
            await new NpgsqlCommand("SELECT set_config('msp.tenant_ids', '{}', false)", connection).ExecuteNonQueryAsync();
        }

        (await SettingsSeenAsync(source, scopes, s => s.Allow(a))).ShouldBe("off {}");

        // A new physical connection starts with no settings, whatever the ended one held.
        source.Clear();
        (await SettingsSeenAsync(source, scopes, s => s.Allow(a))).ShouldBe($"off {{{a}}}");
    }

    [Theory]
    [InlineData("off", "{A,B,C}", "A", true)]
    [InlineData("off", "{A,B,C}", "C", true)]
    [InlineData("off", "{A}", "A", true)]
    [InlineData("off", "{A,B}", "X", false)]
    [InlineData("off", "{}", "A", false)]
    [InlineData("off", "", "A", false)]
    [InlineData(null, null, "A", false)]
    [InlineData("on", "", "X", true)]
    [InlineData("on", "{}", "X", true)]
    public async Task ThePolicyTest_KeepsExactlyTheTenantsInScope(string? allTenants, string? tenantIds, string tenant, bool inScope)
    {
        var database = await TestServers.CreateDatabaseAsync("scope");
        await new MigrationRunner(database.OwnerConnectionString, NullLogger.Instance).ApplyAsync(
            Migration.EmbeddedIn(typeof(MigrationRunner).Assembly, "0000_access_scope", "0000_access_scope_planner", "0000_access_scope_text"),
            CancellationToken.None);
        var ids = new Dictionary<string, Guid> { ["A"] = Guid.CreateVersion7(), ["B"] = Guid.CreateVersion7(), ["C"] = Guid.CreateVersion7(), ["X"] = Guid.CreateVersion7() };
        string? Spelled(string? text) => text is null ? null : ids.Aggregate(text, (t, id) => t.Replace(id.Key, id.Value.ToString()));
        await using var connection = new NpgsqlConnection(database.AppConnectionString);
        await connection.OpenAsync();
        if (allTenants is not null)
        {
            await using var set = new NpgsqlCommand("SELECT set_config('msp.all_tenants', $1, false), set_config('msp.tenant_ids', $2, false)", connection);
            set.Parameters.Add(new NpgsqlParameter { Value = allTenants });
            set.Parameters.Add(new NpgsqlParameter { Value = Spelled(tenantIds)! });
            await set.ExecuteNonQueryAsync();
        }

        await using var check = new NpgsqlCommand("SELECT coalesce(msp_in_scope($1), false)", connection);
        check.Parameters.Add(new NpgsqlParameter { Value = ids[tenant] });
        (await check.ExecuteScalarAsync()).ShouldBe(inScope);
    }
}
