using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Identity;
using Msp.ServiceDefaults.Messaging;
using Msp.ServiceDefaults.Tenancy;

namespace Msp.ServiceDefaults.Persistence;

/// <summary>The migrations a service's database needs: the shared ones it opted into, then its own.</summary>
public sealed class DatabaseMigrations
{
    private readonly List<Migration> all = [];

    public IReadOnlyList<Migration> All => all;

    public DatabaseMigrations Add(IEnumerable<Migration> migrations)
    {
        all.AddRange(migrations);
        return this;
    }
}

public static partial class ServiceDatabaseExtensions
{
    /// <summary>The service's own database: EF Core over the application role (<c>ConnectionStrings:Database</c>),
    /// migrated at start-up with the owner role (<c>ConnectionStrings:DatabaseOwner</c>) when that is configured,
    /// and a readiness check.</summary>
    public static WebApplicationBuilder AddServiceDatabase<TDb>(this WebApplicationBuilder builder, Action<DatabaseMigrations>? shared = null)
        where TDb : DbContext, IScopedDb
    {
        var connectionString = builder.Configuration.GetConnectionString("Database")
            ?? throw new InvalidOperationException("ConnectionStrings:Database is not configured.");

        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<OutboxSignalInterceptor>();
        builder.Services.AddScoped<TenantScope>();
        builder.Services.AddSingleton<TenantScopeInterceptor>();
        builder.Services.AddSingleton<ConnectionScopes>();
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(connectionString)
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
            .UseNpgsql(sp.GetRequiredService<Npgsql.NpgsqlDataSource>())
            .AddInterceptors(sp.GetRequiredService<OutboxSignalInterceptor>(), sp.GetRequiredService<TenantScopeInterceptor>(), NoAutoSavepoints.Instance));
        builder.Services.AddScoped(sp =>
        {
            var db = sp.GetRequiredService<IDbContextFactory<TDb>>().CreateDbContext();
            db.Scope = sp.GetRequiredService<TenantScope>();
            return db;
        });

        var migrations = new DatabaseMigrations().Add(
            Migration.EmbeddedIn(typeof(ServiceDatabaseExtensions).Assembly, "0000_messaging", "0000_access_scope", "0000_access_scope_planner", "0000_access_scope_text"));
        shared?.Invoke(migrations);
        builder.Services.AddSingleton(migrations.Add(Migration.EmbeddedIn(typeof(TDb).Assembly)));
        builder.Services.AddHostedService<MigrateOnStart>();
        if (migrations.All.Any(m => m.Version == KnownUsersExtensions.KnownUsersTable))
        {
            // The service keeps users' states (KnownUserCheck): it hears of their changes as they commit.
            builder.Services.AddSingleton<KnownUserChanges>();
            builder.Services.AddHostedService(sp => new KnownUserListener(
                connectionString, sp.GetRequiredService<KnownUserChanges>(), sp.GetRequiredService<ILogger<KnownUserListener>>()));
        }

        builder.Services.AddHealthChecks().AddDbContextCheck<TDb>("database", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }

    /// <summary>The service's pool of connections, which tells <paramref name="scopes"/> of each new physical connection.</summary>
    public static Npgsql.NpgsqlDataSource ScopedDataSource(string connectionString, ConnectionScopes scopes) =>
        new Npgsql.NpgsqlDataSourceBuilder(connectionString)
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

/// <summary>Applies pending migrations before the service starts taking requests or messages.</summary>
internal sealed class MigrateOnStart(IConfiguration configuration, DatabaseMigrations migrations, ILogger<MigrateOnStart> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (configuration.GetConnectionString("DatabaseOwner") is not { Length: > 0 } owner)
        {
            logger.LogInformation("No owner connection configured; assuming the database is migrated");
            return;
        }

        await new MigrationRunner(owner, logger).ApplyAsync(migrations.All, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
