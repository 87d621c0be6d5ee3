using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Msp.Gateway.Health;

/// <summary>Asks one service whether it is ready; the gateway is ready only when every service is.</summary>
public sealed class UpstreamHealthCheck(HttpMessageInvoker invoker, Uri readyUri) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, readyUri), timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            var data = new Dictionary<string, object> { ["report"] = System.Text.Json.JsonDocument.Parse(body.Length > 0 ? body : "null").RootElement };
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy($"{readyUri} answered {(int)response.StatusCode}", data)
                : HealthCheckResult.Unhealthy($"{readyUri} answered {(int)response.StatusCode}", data: data);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException)
        {
            return HealthCheckResult.Unhealthy($"{readyUri} is not reachable: {e.Message}");
        }
    }
}
