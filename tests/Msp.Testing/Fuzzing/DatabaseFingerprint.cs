using Npgsql;

namespace Msp.Testing.Fuzzing;

/// <summary>A cheap fingerprint of everything a service's database holds: per table of the public schema the number of
/// rows and the sum of their <c>xmin</c> (the transaction that last wrote each row), read as the owner with every tenant
/// in scope. A request that inserts, updates or deletes any row and commits changes it; one that rolled back does not.
/// The outbox counts rows only: its relay marks rows published in the background. Tickets' status counts are read as
/// their sums (<see cref="FoldedCounts"/>): its job folds their changes in the background.</summary>
public sealed class DatabaseFingerprint : IAsyncDisposable
{
    private readonly NpgsqlConnection connection;
    private readonly string query;

    private DatabaseFingerprint(NpgsqlConnection connection, string query) => (this.connection, this.query) = (connection, query);

    public static async Task<DatabaseFingerprint> OpenAsync(TestDatabase database)
    {
        var connection = new NpgsqlConnection(database.OwnerConnectionString);
        await connection.OpenAsync();
        await using (var all = new NpgsqlCommand("SELECT set_config('msp.all_tenants', 'on', false)", connection))
        {
            await all.ExecuteNonQueryAsync();
        }

        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var parts = tables.Where(t => t != FoldedCounts.Changes).Select(t => t switch
        {
            "outbox" => $"SELECT '{t}:' || count(*) FROM \"{t}\"",
            FoldedCounts.Counts => $"SELECT '{t}:' || coalesce(md5(string_agg(c::text, '|' ORDER BY c::text)), '') FROM {FoldedCounts.Source} c",
            _ => $"SELECT '{t}:' || count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) FROM \"{t}\"",
        });
        return new DatabaseFingerprint(connection, $"SELECT string_agg(f, ' ') FROM ({string.Join(" UNION ALL ", parts)}) AS t (f)");
    }

    /// <summary>The fingerprint, its tables' parts in order of name: PostgreSQL does not promise the order of a
    /// <c>UNION ALL</c>'s rows, and two readings of an unchanged database once came back in different orders.</summary>
    public async Task<string> TakeAsync()
    {
        await using var command = new NpgsqlCommand(query, connection);
        var parts = ((string)(await command.ExecuteScalarAsync())!).Split(' ');
        return string.Join(' ', parts.Order(StringComparer.Ordinal));
    }

    /// <summary>The tables whose parts differ between two fingerprints.</summary>
    public static string Difference(string before, string after) =>
        string.Join(", ", after.Split(' ').Except(before.Split(' ')).Select(p => p.Split(':')[0]).Distinct());

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
