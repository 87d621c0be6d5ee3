using Microsoft.Extensions.Diagnostics.HealthChecks;
using Msp.ServiceDefaults.Hosting;
using Msp.Data;
using Npgsql;

namespace Msp.Web.Persistence;

/// <summary>The web app's own small database (<c>msp_web</c>): sign-in sessions only, no business data. Reached as the
/// application role (<c>ConnectionStrings:Database</c>) and migrated at start with the owner role
/// (<c>ConnectionStrings:DatabaseOwner</c>) by the project's migration runner, like every service.</summary>
public static class WebDatabase
{
    public static WebApplicationBuilder AddWebDatabase(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Database")
            ?? throw new InvalidOperationException("ConnectionStrings:Database is not configured.");
        builder.Services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        builder.Services.AddHostedService<MigrateOnStart>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseReady>("database", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }

    private sealed class MigrateOnStart(IConfiguration configuration, ILogger<MigrateOnStart> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (configuration.GetConnectionString("DatabaseOwner") is not { Length: > 0 } owner)
            {
                logger.LogInformation("No owner connection configured; assuming the database is migrated");
                return;
            }

            await new MigrationRunner(owner, logger).ApplyAsync(Migration.EmbeddedIn(typeof(WebDatabase).Assembly), cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class DatabaseReady(NpgsqlDataSource data) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var command = data.CreateCommand("SELECT count(*) FROM sessions WHERE false");
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                return HealthCheckResult.Unhealthy(e.Message);
            }
        }
    }
}
