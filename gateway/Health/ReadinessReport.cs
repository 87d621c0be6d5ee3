using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Identity;

namespace Msp.Gateway.Health;

/// <summary>How the gateway's <c>/health/ready</c> answers. Anyone may ask whether the platform is ready; only an
/// Admin's token gets each service's report, which names addresses, ports and queues (docs/decisions/0030).</summary>
public static class ReadinessReport
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (context.User.IsInRole(MspRoles.Admin))
        {
            return HealthReportWriter.WriteAsync(context, report);
        }

        context.Response.ContentType = "application/json";
        // Degraded (a replica down, the others serving) is ready; the status code already says so.
        var status = report.Status == HealthStatus.Unhealthy ? HealthStatus.Unhealthy : HealthStatus.Healthy;
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { status = status.ToString() }, JsonSerializerOptions.Web), context.RequestAborted);
    }
}
