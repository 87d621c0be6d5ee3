using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;

namespace Msp.Gateway.Health;

/// <summary>Asks every destination of one cluster whether it is ready (its own <c>/health/ready</c>, the path its
/// active health check uses). The cluster is healthy when all are, degraded while some are, unhealthy when none is;
/// the gateway is ready when no cluster is unhealthy. YARP's active health checks decide where requests go; this
/// check answers the question of whoever starts or watches the platform.</summary>
public sealed class UpstreamHealthCheck(string clusterId, IProxyStateLookup proxy, IHttpClientFactory clients)
    : IHealthCheck
{
    public const string Client = "upstream-readiness";

    public const string DefaultPath = "/health/ready";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!proxy.TryGetCluster(clusterId, out var cluster) || cluster.Destinations.IsEmpty)
        {
            return HealthCheckResult.Unhealthy($"Cluster {clusterId} has no destination.");
        }

        var path = cluster.Model.Config.HealthCheck?.Active?.Path ?? DefaultPath;
        var client = clients.CreateClient(Client);
        var answers = await Task.WhenAll(cluster.Destinations.Values.Select(async destination =>
        {
            var config = destination.Model.Config;
            var uri = new Uri(new Uri(config.Health ?? config.Address), path);
            return (destination.DestinationId, Answer: await AskAsync(client, uri, cancellationToken));
        }));

        // Each destination's own report (its database, its broker), for the Admins who may read it (ReadinessReport).
        var data = answers.ToDictionary(a => a.DestinationId, a => a.Answer.Report);
        var ready = answers.Count(a => a.Answer.Ready);
        return ready == answers.Length ? HealthCheckResult.Healthy($"{ready} of {answers.Length} ready", data)
            : ready > 0 ? HealthCheckResult.Degraded($"{ready} of {answers.Length} ready", data: data)
            : HealthCheckResult.Unhealthy($"none of {answers.Length} ready: {answers[0].Answer.Why}", data: data);
    }

    private static async Task<(bool Ready, object Report, string Why)> AskAsync(HttpClient client, Uri uri, CancellationToken ct)
    {
        try
        {
            using var response = await client.GetAsync(uri, ct);
            var why = $"{uri} answered {(int)response.StatusCode}";
            var body = await response.Content.ReadAsStringAsync(ct);
            return (response.IsSuccessStatusCode, body.Length > 0 ? JsonDocument.Parse(body).RootElement : new { error = why }, why);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !ct.IsCancellationRequested)
        {
            var why = $"{uri} is not reachable: {e.Message}";
            return (false, new { error = why }, why);
        }
    }
}
