using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Msp.Gateway.Health;

/// <summary>Logs each cluster's readiness when it changes, once: services that are still starting are normal
/// (Information), a ready service that stops being ready is worth a look (Warning). Nothing is an error: the
/// gateway itself is fine, and the service that is not ready logs why.</summary>
public sealed class ReadinessChanges(ILogger<ReadinessChanges> logger)
{
    private readonly ConcurrentDictionary<string, HealthStatus> last = new();

    public HealthCheckResult Record(string cluster, HealthCheckResult result)
    {
        var known = last.TryGetValue(cluster, out var before);
        if (known && before == result.Status)
        {
            return result;
        }

        last[cluster] = result.Status;
        if (result.Status == HealthStatus.Healthy)
        {
            logger.LogInformation("The {Cluster} service is ready ({Description})", cluster, result.Description);
        }
        else if (!known)
        {
            logger.LogInformation("The {Cluster} service is not ready yet ({Description})", cluster, result.Description);
        }
        else
        {
            logger.LogWarning("The {Cluster} service is {Status} ({Description})", cluster, result.Status, result.Description);
        }

        return result;
    }
}
