using Msp.ServiceDefaults.Hosting;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Msp.Gateway.Proxy;

/// <summary>First in the proxy pipeline: when YARP could not forward a request it sets a status and leaves the body
/// empty; this answers it as an RFC 9457 problem document instead, as every other error of the platform is.</summary>
public sealed class UpstreamProblems(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        if (context.GetForwarderErrorFeature() is not { } failure || context.Response.HasStarted)
        {
            return;
        }

        var service = context.GetReverseProxyFeature().Cluster?.Config.ClusterId ?? "upstream";
        switch (failure.Error)
        {
            case ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled:
                return; // the caller went away; nobody reads an answer
            case ForwarderError.RequestTimedOut:
            case ForwarderError.RequestBodyDestination when context.Response.StatusCode == StatusCodes.Status504GatewayTimeout:
                await context.WriteProblemAsync(StatusCodes.Status504GatewayTimeout, "Upstream timed out", $"The {service} service did not answer in time.");
                return;
            case ForwarderError.NoAvailableDestinations:
                await context.WriteProblemAsync(StatusCodes.Status503ServiceUnavailable, "Upstream unavailable", $"No {service} service is available.");
                return;
            case ForwarderError.RequestBodyClient when context.Response.StatusCode == StatusCodes.Status413PayloadTooLarge:
                // A chunked body passed the size cap while it was being forwarded. The rest of it stays unread, so the
                // connection cannot carry another request.
                context.Response.Headers.Connection = "close";
                await context.WriteProblemAsync(StatusCodes.Status413PayloadTooLarge, "Request body too large", "The request body is larger than allowed.", field: "body");
                return;
            case ForwarderError.RequestBodyClient:
                await context.WriteProblemAsync(context.Response.StatusCode, "Bad request", "The request body could not be read.");
                return;
            default:
                await context.WriteProblemAsync(StatusCodes.Status502BadGateway, "Upstream unavailable", $"The {service} service could not be reached.");
                return;
        }
    }
}
