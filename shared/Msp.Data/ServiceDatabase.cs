using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Msp.ServiceDefaults.Hosting;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Msp.Data;

/// <summary>SQL files a layer or the service itself adds to the service's database. Each layer that owns tables (the
/// data layer's scope functions, messaging's outbox and inbox, the known parties) registers its set; the runner applies
/// every set's files in version order.</summary>
public sealed record MigrationSet(IReadOnlyList<Migration> Migrations);

public static partial class ServiceDatabase
{
    /// <summary>The service's own database: EF Core over the application role (<c>ConnectionStrings:Database</c>),
    /// migrated at start-up with the owner role (<c>ConnectionStrings:DatabaseOwner</c>) when that is configured,
    /// and a readiness check. Interceptors registered as <see cref="IInterceptor"/> (messaging's outbox signal) join
    /// every context.</summary>
    public static WebApplicationBuilder AddServiceDatabase<TDb>(this WebApplicationBuilder builder)
        where TDb : DbContext, IScopedDb
    {
        var connectionString = ConnectionString(builder.Configuration);
        builder.Services.AddScoped<TenantScope>();
        builder.Services.AddSingleton<ConnectionScopes>();
        builder.Services.AddSingleton<IInterceptor, TenantScopeInterceptor>();
        builder.Services.AddSingleton<IInterceptor>(NoAutoSavepoints.Instance);
        builder.Services.AddSingleton<IExceptionProblems, DatabaseProblems>();
        var connection = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // Every open sets the unit of work's tenant scope before any command runs (TenantScopeInterceptor), so a
            // pooled connection carries nothing over that matters; resetting it on return (DISCARD ALL) would only
            // throw away its prepared statements and cost a round trip per open.
            NoResetOnClose = true,
        };
        if (connection.MaxAutoPrepare == 0)
        {
            connection.MaxAutoPrepare = 64; // the hot statements are parsed and planned once per connection
        }

        builder.Services.AddSingleton(sp => ScopedDataSource(connection.ConnectionString, sp.GetRequiredService<ConnectionScopes>()));
        // Pooled (decision 0017): a unit of work rents a context and hands it its tenant scope, which the query filters
        // and TenantScopeInterceptor read from the context. The options and EF's own services are built once, not per request.
        builder.Services.AddPooledDbContextFactory<TDb>((sp, o) => o
            .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>())
            .AddInterceptors(sp.GetServices<IInterceptor>()));
        builder.Services.AddScoped(sp =>
        {
            var db = sp.GetRequiredService<IDbContextFactory<TDb>>().CreateDbContext();
            db.Scope = sp.GetRequiredService<TenantScope>();
            return db;
        });

        builder.Services.AddSingleton(new MigrationSet([.. Migration.EmbeddedIn(typeof(ServiceDatabase).Assembly)]));
        builder.Services.AddSingleton(new MigrationSet([.. Migration.EmbeddedIn(typeof(TDb).Assembly)]));
        builder.Services.AddHostedService<MigrateOnStart>();
        builder.Services.AddHealthChecks().AddDbContextCheck<TDb>("database", tags: [ServiceDefaultsExtensions.ReadyTag]);
        builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddNpgsql());
        builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddMeter("Npgsql"));
        return builder;
    }

    /// <summary>The application role's connection string (<c>ConnectionStrings:Database</c>).</summary>
    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Database") ?? throw new InvalidOperationException("ConnectionStrings:Database is not configured.");

    /// <summary>The service's pool of connections, which tells <paramref name="scopes"/> of each new physical connection.</summary>
    public static NpgsqlDataSource ScopedDataSource(string connectionString, ConnectionScopes scopes) =>
        new NpgsqlDataSourceBuilder(connectionString)
            .UsePhysicalConnectionInitializer(scopes.Opened, c =>
            {
                scopes.Opened(c);
                return Task.CompletedTask;
            })
            .Build();

    /// <summary>Column names in snake_case, as the SQL migrations write them.</summary>
    public static ModelBuilder UseSnakeCaseColumns(this ModelBuilder model)
    {
        foreach (var property in model.Model.GetEntityTypes().SelectMany(e => e.GetProperties()))
        {
            if (property.GetColumnName() is var name && !name.Contains('_') && name != "xmin")
            {
                property.SetColumnName(UpperBoundary().Replace(name, "$1_$2").ToLowerInvariant());
            }
        }

        return model;
    }

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex UpperBoundary();
}

/// <summary>Applies pending migrations before the service starts taking requests or messages. With
/// <c>Msp:MigrateOnly</c> set, the process migrates and exits (a release's migration job runs it once).</summary>
internal sealed class MigrateOnStart(
    IConfiguration configuration, IEnumerable<MigrationSet> sets, IEnumerable<IDatabaseSetup> setups, IHostApplicationLifetime lifetime,
    ILogger<MigrateOnStart> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (configuration.GetConnectionString("DatabaseOwner") is not { Length: > 0 } owner)
        {
            logger.LogInformation("No owner connection configured; assuming the database is migrated");
        }
        else
        {
            await new MigrationRunner(owner, logger).ApplyAsync(sets.SelectMany(s => s.Migrations), setups, cancellationToken);
        }

        if (configuration.GetValue<bool>("Msp:MigrateOnly"))
        {
            logger.LogInformation("Migrated; stopping (Msp:MigrateOnly)");
            lifetime.StopApplication();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
