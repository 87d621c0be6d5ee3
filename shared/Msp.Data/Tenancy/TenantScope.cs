using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Msp.Data;

/// <summary>The tenants the current unit of work (an HTTP request, a consumed event) may read and write.
/// It starts empty: nothing is visible until something decides the scope. EF Core query filters read it,
/// and every database connection carries it to PostgreSQL's row-level security policies.</summary>
public sealed class TenantScope
{
    public bool AllTenants { get; private set; }

    public Guid[] TenantIds { get; private set; } = [];

    /// <summary>Provider staff with every tenant in scope (operators, admins, technicians assigned to all).</summary>
    public void AllowAll()
    {
        AllTenants = true;
        TenantIds = [];
    }

    /// <summary>Exactly these tenants: a client's own, a technician's assigned ones, an event's tenant.</summary>
    public void Allow(params Guid[] tenantIds)
    {
        AllTenants = false;
        TenantIds = [.. tenantIds.Distinct()];
    }

    public bool Includes(Guid tenantId) => AllTenants || TenantIds.Contains(tenantId);
}

/// <summary>A service's DbContext: it knows the tenant scope of the unit of work it serves. Contexts are pooled, so
/// the scope is handed to a context each time a unit of work rents it (<c>AddServiceDatabase</c>).</summary>
public interface IScopedDb
{
    TenantScope Scope { get; set; }
}

/// <summary>The scope each physical connection of a service's pool last received, by backend process id. A pooled
/// connection keeps its session settings between units of work (the pool does not reset it), so a unit of work with
/// the same scope as the last one on that connection need not send it again: most consumers and requests of one
/// tenant then save a round trip per open.</summary>
public sealed class ConnectionScopes
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, string> applied = new();

    /// <summary>A new physical connection has no settings at all (the policies then see no tenant). Recording that
    /// also replaces whatever an ended connection with the same process id left here.</summary>
    public void Opened(Npgsql.NpgsqlConnection physical) => applied[physical.ProcessID] = Key(false, []);

    public bool Has(int processId, string key) => applied.TryGetValue(processId, out var current) && current == key;

    /// <summary>Before sending: the connection's settings are unknown until the command is known to have run.</summary>
    public void Unknown(int processId) => applied.TryRemove(processId, out _);

    public void Applied(int processId, string key) => applied[processId] = key;

    public static string Key(bool allTenants, Guid[] tenantIds) => (allTenants ? "on" : "off") + "{" + string.Join(',', tenantIds) + "}";
}

/// <summary>Hands the scope of the context's unit of work (<see cref="IScopedDb"/>) to PostgreSQL each time a connection
/// opens, as the settings the row-level security policies read (<c>msp.all_tenants</c>, <c>msp.tenant_ids</c>; see
/// <c>0000_access_scope.sql</c>), unless that physical connection holds this very scope already
/// (<see cref="ConnectionScopes"/>). The settings are session-wide and sent before any transaction begins, so no
/// rollback takes them back. A context that is not an <see cref="IScopedDb"/> sends an empty scope: it sees nothing.</summary>
public sealed class TenantScopeInterceptor(ConnectionScopes scopes) : DbConnectionInterceptor
{
    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (ToSend(connection, ScopeOf(eventData)) is { } send)
        {
            await using var command = send.Command;
            await command.ExecuteNonQueryAsync(cancellationToken);
            scopes.Applied(send.ProcessId, send.Key);
        }
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (ToSend(connection, ScopeOf(eventData)) is { } send)
        {
            using var command = send.Command;
            command.ExecuteNonQuery();
            scopes.Applied(send.ProcessId, send.Key);
        }
    }

    private static TenantScope ScopeOf(ConnectionEventData eventData) => (eventData.Context as IScopedDb)?.Scope ?? new TenantScope();

    /// <summary>The command that hands the scope over, unless the connection holds it already.</summary>
    private (DbCommand Command, int ProcessId, string Key)? ToSend(DbConnection connection, TenantScope scope)
    {
        var (processId, key) = (((Npgsql.NpgsqlConnection)connection).ProcessID, ConnectionScopes.Key(scope.AllTenants, scope.TenantIds));
        if (scopes.Has(processId, key))
        {
            return null;
        }

        scopes.Unknown(processId);
        return (Command(connection, scope), processId, key);
    }

    private static DbCommand Command(DbConnection connection, TenantScope scope)
    {
        var command = connection.CreateCommand();
        command.CommandText = "SELECT set_config('msp.all_tenants', $1, false), set_config('msp.tenant_ids', $2, false)";
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = scope.AllTenants ? "on" : "off" });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = "{" + string.Join(',', scope.TenantIds) + "}" });
        return command;
    }
}
