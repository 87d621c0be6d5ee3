using Msp.ServiceDefaults.Hosting;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Msp.Gateway.Proxy;

/// <summary>What every forwarded request carries besides the caller's own headers. YARP keeps the standard hop-by-hop
/// headers on their hop; the ones a caller names in <c>Connection</c> (RFC 9110, 7.6.1) are dropped here.</summary>
public static class ProxyTransforms
{
    public static void Apply(TransformBuilderContext context)
    {
        // First, so that a caller cannot name the headers the gateway sets below.
        context.AddRequestTransform(transform =>
        {
            foreach (var name in ConnectionOptions(transform.HttpContext.Request))
            {
                RequestTransform.RemoveHeader(transform, name);
            }

            return ValueTask.CompletedTask;
        });

        // The gateway is the public edge: a caller's own X-Forwarded-* (and Forwarded) are replaced by what the gateway
        // saw, never extended; the services and the rate limits trust them.
        context.AddXForwarded(ForwardedTransformActions.Set, removeForwardedHeader: true);

        // The id the correlation middleware took from the caller (when it was safe) or made.
        context.AddRequestTransform(transform =>
        {
            RequestTransform.RemoveHeader(transform, CorrelationIdMiddleware.Header);
            RequestTransform.AddHeader(transform, CorrelationIdMiddleware.Header, transform.HttpContext.TraceIdentifier);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>Header names listed in <c>Connection</c>; <c>Upgrade</c> stays for YARP, which handles upgrades itself.</summary>
    private static IEnumerable<string> ConnectionOptions(HttpRequest request) =>
        request.Headers.Connection
            .SelectMany(value => (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Where(name => !name.Equals("upgrade", StringComparison.OrdinalIgnoreCase));
}
