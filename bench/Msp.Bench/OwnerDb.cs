using Npgsql;

namespace Msp.Bench;

/// <summary>A service database as its owner, with every tenant in scope (the tables force row-level security even on
/// their owner): how the benchmark stores its data sets and reads what the services wrote.</summary>
public static class OwnerDb
{
    public static async Task<NpgsqlConnection> OpenAsync(NpgsqlDataSource db)
    {
        var connection = await db.OpenConnectionAsync();
        await new NpgsqlCommand("SELECT set_config('msp.all_tenants', 'on', false)", connection).ExecuteNonQueryAsync();
        return connection;
    }

    public static async Task ExecAsync(NpgsqlDataSource db, string sql, params object[] args)
    {
        await using var connection = await OpenAsync(db);
        await using var run = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        foreach (var arg in args)
        {
            run.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        await run.ExecuteNonQueryAsync();
    }
}
