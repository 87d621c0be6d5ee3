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
        foreach (var (table, column, _, _) in tables.Where(t => t.Table != "ticket_status_changes"))
        {
            // The relay marks outbox rows published whenever it gets to them: that is delivery, not the tenant's data.
            var row = table == "outbox" ? "(t.id, t.message_type, t.payload)::text" : "t::text";
            // Tickets' job folds the changes of its status counts into the counts whenever it runs: what a tenant holds
            // there is the sum of both per status.
            var rows = table == "ticket_status_counts"
                ? """
                  (SELECT tenant_id, status, sum(tickets) AS tickets FROM (
                      SELECT tenant_id, status, tickets FROM ticket_status_counts
                      UNION ALL SELECT tenant_id, status, tickets FROM ticket_status_changes) kept
                   GROUP BY tenant_id, status HAVING sum(tickets) <> 0)
                  """
                : table;
            await using var hash = new NpgsqlCommand(
                $"SELECT count(*) || ':' || coalesce(md5(string_agg({row}, '|' ORDER BY {row})), '') FROM {rows} t WHERE {column} = $1", connection);
            hash.Parameters.Add(new NpgsqlParameter { Value = tenantId });
            fingerprints[table] = (string)(await hash.ExecuteScalarAsync())!;
        }

        return fingerprints;
    }
}
