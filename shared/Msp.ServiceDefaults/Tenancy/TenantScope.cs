using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Msp.ServiceDefaults.Tenancy;

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

/// <summary>Hands the scope to PostgreSQL each time a connection opens, as the settings the row-level security
/// policies read (<c>msp.all_tenants</c>, <c>msp.tenant_ids</c>; see <c>0000_access_scope.sql</c>).</summary>
public sealed class TenantScopeInterceptor(TenantScope scope) : DbConnectionInterceptor
{
    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = Command(connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = Command(connection);
        command.ExecuteNonQuery();
    }

    private DbCommand Command(DbConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = "SELECT set_config('msp.all_tenants', $1, false), set_config('msp.tenant_ids', $2, false)";
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = scope.AllTenants ? "on" : "off" });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = "{" + string.Join(',', scope.TenantIds) + "}" });
        return command;
    }
}
