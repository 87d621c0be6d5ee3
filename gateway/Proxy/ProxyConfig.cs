namespace Msp.Gateway.Proxy;

/// <summary>The route table, in YARP's <c>ReverseProxy</c> configuration shape so that YARP can replace our
/// forwarder without touching configuration (see docs/decisions/0004).</summary>
public sealed class ProxyConfig
{
    public const string Section = "ReverseProxy";

    public Dictionary<string, RouteConfig> Routes { get; set; } = [];

    public Dictionary<string, ClusterConfig> Clusters { get; set; } = [];
}

public sealed class RouteConfig
{
    public string ClusterId { get; set; } = "";

    public int? Order { get; set; }

    /// <summary>This route's body size limit in bytes, instead of <c>Msp:Requests:MaxRequestBodyBytes</c> (uploads).</summary>
    public long? MaxRequestBodySize { get; set; }

    public RouteMatch Match { get; set; } = new();
}

public sealed class RouteMatch
{
    /// <summary>An ASP.NET Core route template, e.g. <c>/api/tenants/{**catch-all}</c>.</summary>
    public string Path { get; set; } = "";
}

public sealed class ClusterConfig
{
    public Dictionary<string, DestinationConfig> Destinations { get; set; } = [];

    public ForwarderRequestConfig HttpRequest { get; set; } = new();

    /// <summary>Not YARP's: where the gateway asks whether this cluster is ready.</summary>
    public string HealthPath { get; set; } = "/health/ready";
}

public sealed class DestinationConfig
{
    public string Address { get; set; } = "";
}

public sealed class ForwarderRequestConfig
{
    /// <summary>How long to wait for the upstream's response headers before answering 504.</summary>
    public TimeSpan ActivityTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
