using System.Linq.Expressions;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Dashboard;
using Hangfire.Logging;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Msp.Data;
using Msp.ServiceDefaults.Identity;
using Npgsql;

namespace Msp.Jobs;

/// <summary>Hangfire in the service's own database (schema <c>hangfire</c>), with a server in every replica. A recurring
/// job's occurrence is enqueued once whichever replicas run (Hangfire's scheduler takes a distributed lock in the
/// storage), and each job runs on one worker; jobs also say <c>[DisableConcurrentExecution]</c> where a slow run must
/// not overlap the next (docs/decisions/0023).</summary>
public static class Jobs
{
    public const string Schema = "hangfire";

    /// <summary>Hangfire storage and server for this service, and the recurring jobs <paramref name="recurring"/> names.
    /// <c>Msp:Jobs:PollInterval</c> (5 s) is how often a server looks for due occurrences and queued jobs.</summary>
    public static WebApplicationBuilder AddJobs(this WebApplicationBuilder builder, string serviceName, Action<RecurringJobs> recurring)
    {
        var connectionString = ServiceDatabase.ConnectionString(builder.Configuration);
        var poll = builder.Configuration.GetValue("Msp:Jobs:PollInterval", TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton<IDatabaseSetup>(new HangfireSchema(new NpgsqlConnectionStringBuilder(connectionString).Username!));
        var storage = new PostgreSqlStorageOptions
        {
            SchemaName = Schema,
            PrepareSchemaIfNecessary = false, // the owner installs it at start (HangfireSchema); this role may not
            QueuePollInterval = poll,
        };
        // The storage is this host's own service, not Hangfire's process-wide JobStorage.Current: the server, the
        // recurring-job manager and the dashboard resolve it from here (and tests run several hosts in one process).
        builder.Services.AddSingleton<JobStorage>(_ => new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storage), storage));
        // So is the activator: Hangfire's default is the process-wide JobActivator.Current, which the last host to
        // start overwrites, so a job could be built from another host's services and write to its database.
        builder.Services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        builder.Services.AddHangfire((sp, c) => c
            .UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        builder.Services.AddHangfireServer(o =>
        {
            o.ServerName = $"{serviceName}:{Environment.MachineName}:{Environment.ProcessId}";
            o.WorkerCount = 2;
            o.SchedulePollingInterval = poll;
        });
        var jobs = new RecurringJobs();
        recurring(jobs);
        builder.Services.AddHostedService(sp => new RecurringJobRegistration(sp.GetRequiredService<IRecurringJobManager>(), jobs));
        return builder;
    }

    /// <summary>The dashboard at <paramref name="path"/> (under the service's API prefix, so the gateway routes it), for
    /// Admins only: the endpoint's policy answers anyone else 401 or 403 before Hangfire sees the request, and
    /// Hangfire's own filter checks the role again.</summary>
    public static WebApplication MapJobsDashboard(this WebApplication app, string path)
    {
        app.MapHangfireDashboard(path, new DashboardOptions
        {
            Authorization = [new AdminsOnly()],
            DisplayStorageConnectionString = false,
            AppPath = null,
            DashboardTitle = "Msp jobs",
        }).RequireAuthorization(MspPolicies.Admins);
        return app;
    }

    private sealed class AdminsOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(MspRoles.Admin);
    }
}

/// <summary>The recurring jobs a service schedules, each with an id, a cron expression (UTC) and the method to call.</summary>
public sealed class RecurringJobs
{
    internal List<Action<IRecurringJobManager>> Registrations { get; } = [];

    public RecurringJobs Add<T>(string id, string cron, Expression<Func<T, Task>> run)
    {
        Registrations.Add(m => m.AddOrUpdate(id, run, cron, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc }));
        return this;
    }
}

/// <summary>Writes the recurring jobs into the storage at start, after the migrations (registered after them).</summary>
internal sealed class RecurringJobRegistration(IRecurringJobManager manager, RecurringJobs jobs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var register in jobs.Registrations)
        {
            register(manager);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Installs or upgrades Hangfire's tables with the owner role, as its own installer does, then lets the
/// application role use them: the service itself never runs DDL.</summary>
internal sealed class HangfireSchema(string applicationRole) : IDatabaseSetup
{
    public async Task ApplyAsync(NpgsqlConnection owner, CancellationToken ct)
    {
        PostgreSqlObjectsInstaller.Install(owner, Jobs.Schema);
        var role = new NpgsqlCommandBuilder().QuoteIdentifier(applicationRole);
        await using var grant = new NpgsqlCommand($"""
            GRANT USAGE ON SCHEMA {Jobs.Schema} TO {role};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {Jobs.Schema} TO {role};
            GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {Jobs.Schema} TO {role};
            """, owner);
        await grant.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>Hangfire's log provider is process-wide, and its default builds loggers from the last host configured; once
/// that host has stopped, every Hangfire type another host creates (a job client, a server) failed on its disposed logger
/// factory. This one logs through the host's logging while it lives, and says nothing after.</summary>
internal sealed class HostLogProvider(ILoggerFactory factory) : ILogProvider
{
    private readonly AspNetCoreLogProvider inner = new(factory);

    public ILog GetLogger(string name)
    {
        try
        {
            return inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
