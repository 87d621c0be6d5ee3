using Npgsql;

namespace Msp.Testing;

/// <summary>A fingerprint of everything a database holds for one tenant (every table with a tenant column, and the
/// tables keyed by the tenant id), read as the owner. Two equal fingerprints mean nothing of that tenant changed.</summary>
public static class TenantSnapshot
{
    public static async Task<IReadOnlyDictionary<string, string>> TakeAsync(TestDatabase db, Guid tenantId)
    {
        await using var connection = new NpgsqlConnection(db.OwnerConnectionString);
        await connection.OpenAsync();
        var tables = new List<(string Table, string Column)>();
        await using (var list = new NpgsqlCommand("""
            SELECT c.relname, CASE WHEN c.relname = ANY($1) THEN 'id' ELSE 'tenant_id' END
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r'
              AND (c.relname = ANY($1) OR EXISTS (
                    SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped))
            ORDER BY 1
            """, connection))
        {
            list.Parameters.Add(new NpgsqlParameter { Value = RowLevelSecurity.KeyedByTenant });
            await using var rows = await list.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                tables.Add((rows.GetString(0), rows.GetString(1)));
            }
        }

        var fingerprints = new Dictionary<string, string>();
        foreach (var (table, column) in tables)
        {
            await using var hash = new NpgsqlCommand(
                $"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {table} t WHERE {column} = $1", connection);
            hash.Parameters.Add(new NpgsqlParameter { Value = tenantId });
            fingerprints[table] = (string)(await hash.ExecuteScalarAsync())!;
        }

        return fingerprints;
    }
}
