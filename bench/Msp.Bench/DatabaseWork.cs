using Npgsql;

namespace Msp.Bench;

/// <summary>What PostgreSQL did, counted rather than timed: transactions committed and rows written in each service
/// database, and WAL written by the whole cluster. Divided by the requests of a phase, these figures stay the same
/// whether the host is fast or slow that hour, so two builds can be compared by them where CPU seconds cannot.
/// PostgreSQL publishes a backend's counts when its transaction ends or, when idle, within a second or so: a reading
/// trails the work by that much at both ends of a phase, which a steady load cancels out.</summary>
public static class DatabaseWork
{
    public static async Task<Dictionary<string, double>> ReadAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var counts = new Dictionary<string, double>();
        await using (var databases = new NpgsqlCommand(
            "SELECT datname, xact_commit, tup_inserted + tup_updated + tup_deleted FROM pg_stat_database WHERE datname LIKE 'msp\\_%'", connection))
        await using (var reader = await databases.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var name = reader.GetString(0)["msp_".Length..];
                counts["commits." + name] = reader.GetInt64(1);
                counts["rowsWritten." + name] = reader.GetInt64(2);
            }
        }

        await using var wal = new NpgsqlCommand("SELECT wal_bytes FROM pg_stat_wal", connection);
        counts["walBytes"] = (double)(decimal)(await wal.ExecuteScalarAsync())!;
        return counts;
    }

    /// <summary>The work done between two readings, per request: only the databases that did some.</summary>
    public static Dictionary<string, double> PerRequest(Dictionary<string, double> before, Dictionary<string, double> after, int requests) =>
        after.Select(a => (a.Key, Value: (a.Value - before.GetValueOrDefault(a.Key)) / Math.Max(1, requests)))
            .Where(a => a.Value >= 0.005)
            .ToDictionary(a => "perRequest." + a.Key, a => Math.Round(a.Value, a.Key == "walBytes" ? 0 : 2));

    public static void Print(IReadOnlyDictionary<string, double> perRequest)
    {
        string Each(string kind)
        {
            var prefix = $"perRequest.{kind}.";
            return string.Join(", ", perRequest.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal))
                .OrderByDescending(p => p.Value).Select(p => $"{p.Key[prefix.Length..]} {p.Value}"));
        }

        Console.WriteLine($"  per request: cpu {perRequest.GetValueOrDefault("perRequest.cpuMs")} ms; commits: {Each("commits")}; rows written: {Each("rowsWritten")}; " +
            $"WAL {Math.Round(perRequest.GetValueOrDefault("perRequest.walBytes") / 1024, 1)} KiB");
    }
}
