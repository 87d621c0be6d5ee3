using Npgsql;

namespace Msp.Testing;

/// <summary>Checks, from outside the service and as its application role, that PostgreSQL itself keeps tenants apart.</summary>
public static class RowLevelSecurity
{
    /// <summary>Tables that carry tenant data but are not tenant-scoped, with the reason. Anything else with a
    /// tenant column (or named here as keyed by the tenant) must have row-level security enabled and forced.</summary>
    public static readonly IReadOnlyDictionary<string, string> Exempt = new Dictionary<string, string>
    {
        ["outbox"] = "the relay publishes every tenant's events; no request or consumer reads it",
    };

    /// <summary>Tables whose primary key is the tenant id itself.</summary>
    public static readonly string[] KeyedByTenant = ["tenants", "known_tenants"];

    public static async Task<List<(string Table, bool Enabled, bool Forced)>> TenantOwnedTablesAsync(TestDatabase db)
    {
        await using var connection = new NpgsqlConnection(db.OwnerConnectionString);
        await connection.OpenAsync();
        return [.. (await TablesWithTenantDataAsync(connection)).Where(t => !Exempt.ContainsKey(t.Table)).Select(t => (t.Table, t.Enabled, t.Forced))];
    }

    /// <summary>Every table with a tenant column or keyed by the tenant id, with the column that names the tenant and
    /// whether row-level security is enabled and forced; exempt tables included.</summary>
    public static async Task<List<(string Table, string TenantColumn, bool Enabled, bool Forced)>> TablesWithTenantDataAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("""
            SELECT c.relname, CASE WHEN c.relname = ANY($1) THEN 'id' ELSE 'tenant_id' END, c.relrowsecurity, c.relforcerowsecurity
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r'
              AND (c.relname = ANY($1) OR EXISTS (
                    SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped))
            ORDER BY 1
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = KeyedByTenant });
        var tables = new List<(string, string, bool, bool)>();
        await using var rows = await command.ExecuteReaderAsync();
        while (await rows.ReadAsync())
        {
            tables.Add((rows.GetString(0), rows.GetString(1), rows.GetBoolean(2), rows.GetBoolean(3)));
        }

        return tables;
    }

    /// <summary>Opens a connection as the application role, optionally with a scope of tenant ids.</summary>
    public static async Task<NpgsqlConnection> OpenAsApplicationAsync(TestDatabase db, params Guid[] scope)
    {
        var connection = new NpgsqlConnection(db.AppConnectionString);
        await connection.OpenAsync();
        if (scope.Length > 0)
        {
            await using var set = new NpgsqlCommand("SELECT set_config('msp.tenant_ids', $1, false)", connection);
            set.Parameters.Add(new NpgsqlParameter { Value = "{" + string.Join(',', scope) + "}" });
            await set.ExecuteNonQueryAsync();
        }

        return connection;
    }

    public static async Task<long> CountAsync(NpgsqlConnection connection, string table)
    {
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
