using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Msp.ServiceDefaults.Hosting;

/// <summary>Logs each health check's state when it changes, once, in place of the health service's own line for every
/// answer that is not healthy. That line is an error each time a prober asks while a process is still starting, or
/// gives up and cancels the check, which is normal and said nothing new. Starting and recovering are Information; a
/// check that was healthy and is not any more is a Warning. Nothing here is an Error: what fails logs its own errors.
/// The checks run in the background every <see cref="HealthCheckPublisherOptions.Period"/> (30 s).</summary>
public sealed class HealthChangesLog(ILogger<HealthChangesLog> logger) : IHealthCheckPublisher
{
    /// <summary>The category whose per-run lines this replaces (filtered out in <see cref="ServiceDefaultsExtensions"/>).</summary>
    public const string HealthServiceCategory = "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService";

    private readonly ConcurrentDictionary<string, HealthStatus> last = new();

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        foreach (var (name, entry) in report.Entries)
        {
            var known = last.TryGetValue(name, out var before);
            if (known && before == entry.Status)
            {
                continue;
            }

            last[name] = entry.Status;
            var description = entry.Description ?? entry.Exception?.Message;
            if (entry.Status == HealthStatus.Healthy)
            {
                logger.LogInformation("Health check {Check} is healthy ({Description})", name, description);
            }
            else if (!known)
            {
                logger.LogInformation("Health check {Check} is not healthy yet: {Status} ({Description})", name, entry.Status, description);
            }
            else
            {
                logger.LogWarning("Health check {Check} is {Status} ({Description})", name, entry.Status, description);
            }
        }

        return Task.CompletedTask;
    }
}
