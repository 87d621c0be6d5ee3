using MassTransit;
using Msp.Data;
using Msp.KnownParties;
using Msp.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Msp.Testing;

/// <summary>Hosts one service in-process against its own fresh database and RabbitMQ virtual host.</summary>
public class ServiceFactory<TProgram> : WebApplicationFactory<TProgram>, IAsyncLifetime where TProgram : class
{
    public TestDatabase Database { get; private set; } = null!;

    public string RabbitMqUri { get; private set; } = "";

    public virtual string Name => typeof(TProgram).Assembly.GetName().Name!.Replace("Msp.", "").ToLowerInvariant();

    public IBus Bus => Services.GetRequiredService<IBus>();

    /// <summary>Every event this host's consumers finished, counted by event id.</summary>
    public ConsumedMessages Consumed { get; } = new();

    /// <summary>Settings of this host beyond the tests' defaults.</summary>
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>Another host of the same service (a second replica): it shares this one's database and virtual host.</summary>
    public ServiceFactory<TProgram>? ReplicaOf { get; init; }

    /// <summary>A database made beforehand to start on, instead of a fresh one: replicas that must start at the same
    /// moment share it (<see cref="ReplicaOf"/> needs the first host started).</summary>
    public TestDatabase? OnDatabase { get; init; }

    /// <summary>Services this host adds or replaces for a test (an exporter, a fake).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    /// <summary>A virtual host to join (another service's, so that the two hear each other's events) instead of a fresh one.</summary>
    public string? JoinRabbitMq { get; init; }

    public virtual async Task InitializeAsync()
    {
        Database = ReplicaOf?.Database ?? OnDatabase ?? await TestServers.CreateDatabaseAsync(Name);
        RabbitMqUri = ReplicaOf?.RabbitMqUri ?? JoinRabbitMq ?? await TestServers.CreateVirtualHostAsync(Name);
        StartServer(); // start now: migrations run and consumers bind before the first test
        Services.GetRequiredService<IBus>().ConnectConsumeObserver(Consumed);
        await Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        // A service that keeps copies of the tenants asks for them once started (decision 0128): tests begin after it has,
        // so that the request it may write to its outbox is no test's surprise.
        foreach (var request in Services.GetServices<IHostedService>().OfType<BackgroundService>()
                     .Where(s => s.GetType().IsGenericType && s.GetType().GetGenericTypeDefinition() == typeof(RequestKnownParties<>)))
        {
            await request.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(60));
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Database", Database.AppConnectionString);
        builder.UseSetting("ConnectionStrings:DatabaseOwner", Database.OwnerConnectionString);
        builder.UseSetting("ConnectionStrings:RabbitMq", RabbitMqUri);
        // Tests publish a user event and check the very next request; production keeps a user's state until known_users
        // changes and hears of the change as it commits (decision 0018), which a test's next request could overtake.
        builder.UseSetting("Msp:Auth:UserStateCacheDuration", "00:00:00");
        builder.UseSetting("Msp:Tenancy:KnownTenantCacheDuration", "00:00:00");
        // Quick retries: tests that reach the error queue should not wait out production backoff.
        builder.UseSetting("Msp:Messaging:Retry:Limit", "3");
        builder.UseSetting("Msp:Messaging:Retry:MinInterval", "00:00:00.050");
        builder.UseSetting("Msp:Messaging:Retry:MaxInterval", "00:00:00.200");
        builder.UseSetting("Msp:Messaging:Retry:IntervalDelta", "00:00:00.050");
        builder.UseSetting("Msp:Jobs:PollInterval", "00:00:01");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        if (TestServices is { } services)
        {
            builder.ConfigureServices(services);
        }
    }

    /// <summary>A tenant as the Tenants service announces it (recorded directly: the events path has its own tests).</summary>
    public async Task<(Guid Id, string Slug)> TenantAsync(string status = "Active")
    {
        var id = Guid.CreateVersion7();
        var slug = "t" + id.ToString("N")[^8..];
        await Database.ScalarAsync<int>("""
            INSERT INTO known_tenants (id, name, slug, status, time_zone, country, version, recorded_at, updated_at)
            VALUES ($1, 'Test tenant', $2, $3, 'Europe/Paris', 'FR', 1, now(), now()) RETURNING 1
            """, id, slug, status);
        return (id, slug);
    }

    /// <summary>A user as the Tenants service announces them.</summary>
    public async Task<Caller> UserAsync(Caller caller)
    {
        await Database.ScalarAsync<int>("""
            INSERT INTO known_users (id, tenant_id, email, display_name, role, all_tenants, assigned_tenants, recorded_at, updated_at)
            VALUES ($1, $2, $3, 'Test user', $4, $5, $6, now(), now()) RETURNING 1
            """, caller.Id, (object?)caller.TenantId ?? DBNull.Value, $"{caller.Id:N}@tests.local", caller.Role, caller.AllTenants, caller.AssignedTenants ?? []);
        return caller;
    }

    public Task<Caller> ClientUserAsync(Guid tenantId, string role = MspRoles.ClientUser) => UserAsync(Caller.Client(role, tenantId));

    public Task<Caller> TechnicianAsync(params Guid[] tenants) => UserAsync(Caller.Technician(tenants));

    public HttpClient ClientFor(Caller caller) => CreateClient().SignedIn(TestTokens.For(Services, caller));

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
