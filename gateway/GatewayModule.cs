using Msp.Gateway.Health;
using Msp.Gateway.Proxy;
using Msp.ServiceDefaults.Hosting;

namespace Msp.Gateway;

public static class GatewayModule
{
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration.GetSection(ProxyConfig.Section).Get<ProxyConfig>() ?? new ProxyConfig();
        Validate(config);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(_ => Forwarder.CreateInvoker());
        builder.Services.AddSingleton<Forwarder>();

        var health = builder.Services.AddHealthChecks();
        foreach (var (id, cluster) in config.Clusters)
        {
            var ready = new Uri(new Uri(cluster.Destinations.Values.First().Address), cluster.HealthPath);
            health.Add(new(id, sp => new UpstreamHealthCheck(sp.GetRequiredService<HttpMessageInvoker>(), ready), null, [ServiceDefaultsExtensions.ReadyTag]));
        }

        return builder;
    }

    /// <summary>One endpoint per configured route; ASP.NET Core routing matches YARP's path templates as they are.</summary>
    public static WebApplication MapGateway(this WebApplication app)
    {
        var config = app.Services.GetRequiredService<ProxyConfig>();
        var forwarder = app.Services.GetRequiredService<Forwarder>();
        foreach (var (id, route) in config.Routes)
        {
            var cluster = config.Clusters[route.ClusterId];
            var endpoint = app.Map(route.Match.Path, context => forwarder.ForwardAsync(context, route.ClusterId, cluster))
                .WithDisplayName($"proxy:{id}")
                .WithOrder(route.Order ?? 0)
                .ExcludeFromDescription();
            if (route.MaxRequestBodySize is { } limit)
            {
                endpoint.WithMetadata(new BodySizeLimit(limit));
            }
        }

        // Everything else is the web app's (its catch-all route), except an unknown API path, which is the API's 404.
        app.Map("/api/{**rest}", (HttpContext context) => context.WriteProblemAsync(StatusCodes.Status404NotFound, "Not found", "No API answers at this path.").AsTask())
            .WithDisplayName("api:not-found")
            .WithOrder(50)
            .ExcludeFromDescription();
        return app;
    }

    private static void Validate(ProxyConfig config)
    {
        foreach (var (id, route) in config.Routes)
        {
            if (!config.Clusters.ContainsKey(route.ClusterId))
            {
                throw new InvalidOperationException($"Route '{id}' names cluster '{route.ClusterId}', which is not configured.");
            }

            if (string.IsNullOrWhiteSpace(route.Match.Path))
            {
                throw new InvalidOperationException($"Route '{id}' has no Match:Path.");
            }
        }

        foreach (var (id, cluster) in config.Clusters)
        {
            if (cluster.Destinations.Count == 0 || cluster.Destinations.Values.Any(d => !Uri.TryCreate(d.Address, UriKind.Absolute, out _)))
            {
                throw new InvalidOperationException($"Cluster '{id}' needs at least one destination with an absolute Address.");
            }
        }
    }
}
