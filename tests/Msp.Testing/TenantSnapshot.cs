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
        var tables = await RowLevelSecurity.TablesWithTenantDataAsync(connection);
        var fingerprints = new Dictionary<string, string>();
        foreach (var (table, column, _, _) in tables.Where(t => t.Table != FoldedCounts.Changes))
        {
            // The relay marks outbox rows published whenever it gets to them: that is delivery, not the tenant's data.
            var row = table == "outbox" ? "(t.id, t.message_type, t.payload)::text" : "t::text";
            var rows = table == FoldedCounts.Counts ? FoldedCounts.Source : table;
            await using var hash = new NpgsqlCommand(
                $"SELECT count(*) || ':' || coalesce(md5(string_agg({row}, '|' ORDER BY {row})), '') FROM {rows} t WHERE {column} = $1", connection);
            hash.Parameters.Add(new NpgsqlParameter { Value = tenantId });
            fingerprints[table] = (string)(await hash.ExecuteScalarAsync())!;
        }

        return fingerprints;
    }
}
