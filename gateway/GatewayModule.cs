using Msp.Gateway.ApiReference;
using Msp.Gateway.Health;
using Msp.Gateway.Proxy;
using Msp.ServiceDefaults.Hosting;
using Yarp.ReverseProxy.Configuration;

namespace Msp.Gateway;

/// <summary>YARP over the <c>ReverseProxy</c> section (routes, clusters, balancing, active health checks), the
/// gateway's own readiness, and the API reference (docs/decisions/0030).</summary>
public static class GatewayModule
{
    public const string ProxySection = "ReverseProxy";

    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        var proxy = builder.Configuration.GetSection(ProxySection);
        builder.Services.AddReverseProxy()
            .LoadFromConfig(proxy)
            .AddTransforms(ProxyTransforms.Apply);

        builder.Services.AddHttpClient(UpstreamHealthCheck.Client, c => c.Timeout = UpstreamHealthCheck.Timeout);
        var health = builder.Services.AddHealthChecks();
        foreach (var cluster in proxy.GetSection("Clusters").GetChildren())
        {
            health.Add(new(cluster.Key, sp => ActivatorUtilities.CreateInstance<UpstreamHealthCheck>(sp, cluster.Key), null, [ServiceDefaultsExtensions.ReadyTag]));
        }

        builder.AddApiReference(proxy);
        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.MapReverseProxy(pipeline =>
        {
            pipeline.UseMiddleware<UpstreamProblems>();
            pipeline.UseMiddleware<RefusedConnectionRetry>();
            pipeline.UseSessionAffinity();
            pipeline.UseLoadBalancing();
            pipeline.UsePassiveHealthChecks();
        })
        // A route's own body limit (an upload) is endpoint metadata too, so the size check in front of the proxy refuses
        // a declared oversized body before anything is forwarded; YARP applies the same limit to chunked bodies.
        .ConfigureEndpoints((endpoint, route) =>
        {
            if (route.MaxRequestBodySize is { } limit && limit > 0)
            {
                endpoint.WithMetadata(new BodySizeLimit(limit));
            }
        });
        app.MapApiReference();

        // Everything else is the web app's (its catch-all route), except an unknown API path, which is the API's 404.
        app.Map("/api/{**rest}", (HttpContext context) => context.WriteProblemAsync(StatusCodes.Status404NotFound, "Not found", "No API answers at this path.").AsTask())
            .WithDisplayName("api:not-found")
            .WithOrder(50)
            .ExcludeFromDescription();
        return app;
    }
}
