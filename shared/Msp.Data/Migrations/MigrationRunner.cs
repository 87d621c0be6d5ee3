using Microsoft.Extensions.Logging;
using Npgsql;

namespace Msp.Data;

/// <summary>Applies versioned SQL files in order under an advisory lock, recording each in a history table.
/// Refuses to run when an applied file has changed since (its checksum differs).</summary>
public sealed class MigrationRunner(string ownerConnectionString, ILogger logger)
{
    // One lock id for every Msp database: replicas of one service serialise; databases are separate anyway.
    private const long LockId = 0x4D53504D4947; // "MSPMIG"

    public async Task<IReadOnlyList<string>> ApplyAsync(IEnumerable<Migration> migrations, CancellationToken ct) =>
        await ApplyAsync(migrations, [], ct);

    /// <summary>Applies the pending files, then each of <paramref name="setups"/> (a library's own schema), all under the lock.</summary>
    public async Task<IReadOnlyList<string>> ApplyAsync(IEnumerable<Migration> migrations, IEnumerable<IDatabaseSetup> setups, CancellationToken ct)
    {
        var ordered = migrations.OrderBy(m => m.Version, StringComparer.Ordinal).ToList();
        var duplicate = ordered.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new MigrationException($"Migration version {duplicate.Key} is defined twice.");
        }

        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync(ct);
        await Execute(connection, $"SELECT pg_advisory_lock({LockId})", ct);
        try
        {
            await Execute(connection, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    text PRIMARY KEY,
                    checksum   text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, ct);

            var applied = new Dictionary<string, string>();
            await using (var read = new NpgsqlCommand("SELECT version, checksum FROM schema_migrations", connection))
            await using (var rows = await read.ExecuteReaderAsync(ct))
            {
                while (await rows.ReadAsync(ct))
                {
                    applied[rows.GetString(0)] = rows.GetString(1);
                }
            }

            foreach (var m in ordered.Where(m => applied.TryGetValue(m.Version, out var sum) && sum != m.Checksum))
            {
                throw new MigrationException(
                    $"Migration {m.Version} was changed after it was applied (checksum {applied[m.Version]} in the database, {m.Checksum} in the file). Add a new migration instead of editing an applied one.");
            }

            var done = new List<string>();
            foreach (var m in ordered.Where(m => !applied.ContainsKey(m.Version)))
            {
                await using var tx = await connection.BeginTransactionAsync(ct);
                await using (var apply = new NpgsqlCommand(m.Sql, connection, tx))
                {
                    await apply.ExecuteNonQueryAsync(ct);
                }

                await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)", connection, tx))
                {
                    record.Parameters.Add(new NpgsqlParameter { Value = m.Version });
                    record.Parameters.Add(new NpgsqlParameter { Value = m.Checksum });
                    await record.ExecuteNonQueryAsync(ct);
                }

                await tx.CommitAsync(ct);
                logger.LogInformation("Applied migration {Version}", m.Version);
                done.Add(m.Version);
            }

            foreach (var setup in setups)
            {
                await setup.ApplyAsync(connection, ct);
            }

            return done;
        }
        finally
        {
            await Execute(connection, $"SELECT pg_advisory_unlock({LockId})", CancellationToken.None);
        }
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>Schema that a library installs itself (Hangfire's), applied after the SQL files with the owner's connection,
/// under the same lock. It must be idempotent: it runs at every start.</summary>
public interface IDatabaseSetup
{
    Task ApplyAsync(NpgsqlConnection owner, CancellationToken ct);
}

public sealed class MigrationException(string message) : Exception(message);
