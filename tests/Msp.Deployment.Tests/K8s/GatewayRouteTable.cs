using System.Text.Json;

namespace Msp.Deployment.Tests.K8s;

/// <summary>The gateway's route table as the code ships it (gateway/appsettings.json): every cluster there has
/// loopback addresses that a container must replace.</summary>
public static class GatewayRouteTable
{
    public static IEnumerable<string> ClusterIds()
    {
        using var settings = JsonDocument.Parse(Repository.Read("gateway/appsettings.json"));
        return [.. settings.RootElement.GetProperty("ReverseProxy").GetProperty("Clusters").EnumerateObject().Select(c => c.Name)];
    }
}
