using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Msp.Testing;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Msp.Gateway.Tests.Proxy;

/// <summary>A gateway whose "pair" cluster has two replicas, each a real web server that answers with its own name,
/// probed by YARP's active health check every second.</summary>
public sealed class TwoReplicasGatewayFactory : GatewayFactory
{
    private readonly Dictionary<string, WebApplication> replicas = [];

    public Dictionary<string, bool> Ready { get; } = new() { ["a"] = true, ["b"] = true };

    public override async Task InitializeAsync()
    {
        foreach (var name in Ready.Keys)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var replica = builder.Build();
            replica.MapGet("/health/ready", () => Ready[name] ? Results.Ok(new { status = "Healthy" }) : Results.StatusCode(503));
            replica.MapGet("/api/pair/whoami", () => name);
            await replica.StartAsync();
            replicas[name] = replica;
        }

        await base.InitializeAsync();
    }

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("ReverseProxy:Routes:pair:ClusterId", "pair");
        builder.UseSetting("ReverseProxy:Routes:pair:Match:Path", "/api/pair/{**catch-all}");
        builder.UseSetting("ReverseProxy:Clusters:pair:LoadBalancingPolicy", "PowerOfTwoChoices");
        builder.UseSetting("ReverseProxy:Clusters:pair:HealthCheck:AvailableDestinationsPolicy", "HealthyOrPanic");
        builder.UseSetting("ReverseProxy:Clusters:pair:HealthCheck:Active:Enabled", "true");
        builder.UseSetting("ReverseProxy:Clusters:pair:HealthCheck:Active:Interval", "00:00:01");
        builder.UseSetting("ReverseProxy:Clusters:pair:HealthCheck:Active:Policy", "ConsecutiveFailures");
        builder.UseSetting("ReverseProxy:Clusters:pair:HealthCheck:Active:Path", "/health/ready");
        foreach (var (name, replica) in replicas)
        {
            builder.UseSetting($"ReverseProxy:Clusters:pair:Destinations:{name}:Address", replica.Urls.Single());
        }
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var replica in replicas.Values)
        {
            await replica.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}

public sealed class BalancingTests(TwoReplicasGatewayFactory gateway) : IClassFixture<TwoReplicasGatewayFactory>, IDisposable
{
    private readonly HttpClient client = gateway.CreateClient();

    private async Task<HashSet<string>> AnswersToAsync(int requests)
    {
        var seen = new HashSet<string>();
        for (var i = 0; i < requests; i++)
        {
            var response = await client.GetAsync("/api/pair/whoami");
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            seen.Add(await response.Content.ReadAsStringAsync());
        }

        return seen;
    }

    [Fact]
    public async Task Requests_ReachEveryReadyReplica()
    {
        await Eventually.HoldsAsync(async () => (await AnswersToAsync(20)).SetEquals(["a", "b"]), TimeSpan.FromSeconds(15), "both replicas answer");
    }

    [Fact]
    public async Task AReplicaThatIsNotReady_GetsNoRequests_UntilItIsReadyAgain()
    {
        gateway.Ready["b"] = false;
        await Eventually.HoldsAsync(async () => (await AnswersToAsync(20)).SetEquals(["a"]), TimeSpan.FromSeconds(15), "the active health check takes b out");

        gateway.Ready["b"] = true;
        await Eventually.HoldsAsync(async () => (await AnswersToAsync(20)).SetEquals(["a", "b"]), TimeSpan.FromSeconds(15), "b is back");
    }

    [Fact]
    public async Task WhenNoReplicaIsReady_RequestsStillGoToThem()
    {
        // A cluster whose every replica fails its probe (a broker restart, all of them starting) is tried rather than
        // refused: its own answer says more than a 503 from the gateway.
        gateway.Ready["a"] = gateway.Ready["b"] = false;
        var proxy = gateway.Services.GetRequiredService<IProxyStateLookup>();
        await Eventually.HoldsAsync(
            () => Task.FromResult(proxy.TryGetCluster("pair", out var pair) && pair.Destinations.Values.All(d => d.Health.Active == DestinationHealth.Unhealthy)),
            TimeSpan.FromSeconds(15), "the active health check marks both replicas unhealthy");

        (await AnswersToAsync(4)).ShouldNotBeEmpty();
    }

    public void Dispose()
    {
        gateway.Ready["a"] = gateway.Ready["b"] = true;
    }
}
