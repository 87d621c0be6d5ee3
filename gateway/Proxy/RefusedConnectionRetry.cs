using System.Net.Sockets;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Msp.Gateway.Proxy;

/// <summary>In the proxy pipeline, before load balancing: when the chosen destination refused the connection (a replica
/// that died or is restarting, before the health probes take it out), the request is sent to another destination of the
/// cluster. A refused connection means the request never reached the service, so this is safe for every method, a POST
/// included, and its body is still unread. Any other failure (a timeout, a reset once the request was sent) is answered
/// as it is: the service may have acted on it.</summary>
public sealed class RefusedConnectionRetry(RequestDelegate next, ILogger<RefusedConnectionRetry> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        var candidates = proxy.AvailableDestinations;
        var refused = new List<DestinationState>();
        while (true)
        {
            await next(context);
            if (context.Response.HasStarted || context.GetForwarderErrorFeature() is not { Error: ForwarderError.Request } failure
                || !Refused(failure.Exception) || proxy.ProxiedDestination is not { } destination)
            {
                return;
            }

            refused.Add(destination);
            var others = candidates.Where(d => !refused.Contains(d)).ToArray();
            if (others.Length == 0)
            {
                return; // every destination refused: the 502 stands
            }

            logger.LogWarning("{Destination} of {Cluster} refused the connection; sending {Method} {Path} to another destination",
                destination.DestinationId, proxy.Cluster.Config.ClusterId, context.Request.Method, context.Request.Path);
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.StatusCode = StatusCodes.Status200OK;
            proxy.AvailableDestinations = others;
        }
    }

    private static bool Refused(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                return true;
            }
        }

        return false;
    }
}
