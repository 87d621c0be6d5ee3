using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http.Features;
using Msp.ServiceDefaults.Hosting;

namespace Msp.Gateway.Proxy;

/// <summary>Forwards one request to a cluster's destination and streams the answer back. Bodies are never
/// buffered; hop-by-hop headers stay on their hop; the caller's address travels in <c>X-Forwarded-*</c>.</summary>
public sealed class Forwarder(HttpMessageInvoker invoker, ILogger<Forwarder> logger)
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection",
        "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host",
    };

    private int next;

    public async Task ForwardAsync(HttpContext context, string clusterId, ClusterConfig cluster)
    {
        var destinations = cluster.Destinations.Values.ToArray();
        var destination = destinations[(int)((uint)Interlocked.Increment(ref next) % destinations.Length)];
        using var request = CreateRequest(context, destination.Address);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(cluster.HttpRequest.ActivityTimeout);
        HttpResponseMessage response;
        try
        {
            response = await invoker.SendAsync(request, timeout.Token);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // the caller went away
        }
        catch (Exception e) when (Find<BadHttpRequestException>(e) is { } bad)
        {
            // Reading the caller's body failed, e.g. a chunked body over the size cap; the rest of it stays unread.
            context.Response.Headers.Connection = "close";
            await context.WriteProblemAsync(bad.StatusCode, bad.StatusCode == 413 ? "Request body too large" : "Bad request", bad.Message);
            return;
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Upstream {Cluster} did not answer within {Timeout}", clusterId, cluster.HttpRequest.ActivityTimeout);
            await context.WriteProblemAsync(StatusCodes.Status504GatewayTimeout, "Upstream timed out",
                $"The {clusterId} service did not answer in time.");
            return;
        }
        catch (HttpRequestException e)
        {
            logger.LogWarning("Upstream {Cluster} unreachable: {Error}", clusterId, e.Message);
            await context.WriteProblemAsync(StatusCodes.Status502BadGateway, "Upstream unavailable",
                $"The {clusterId} service could not be reached.");
            return;
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            CopyResponseHeaders(response, context.Response);
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
            await body.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    private static HttpRequestMessage CreateRequest(HttpContext context, string address)
    {
        var incoming = context.Request;
        var target = new Uri(address.TrimEnd('/') + incoming.PathBase + incoming.Path + incoming.QueryString);
        var request = new HttpRequestMessage(new HttpMethod(incoming.Method), target)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };

        if (HasBody(incoming))
        {
            request.Content = new StreamContent(incoming.Body);
        }

        var connectionListed = incoming.Headers.Connection.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in incoming.Headers)
        {
            // X-Forwarded-* and the correlation id are set below from what the gateway itself saw and decided.
            if (HopByHop.Contains(name) || connectionListed.Contains(name) || name.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase) ||
                name.Equals(CorrelationIdMiddleware.Header, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        // The gateway is the public edge: what a caller claims in X-Forwarded-* is dropped above, never extended.
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", incoming.Scheme);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", incoming.Host.Value ?? "");
        request.Headers.TryAddWithoutValidation(CorrelationIdMiddleware.Header, context.TraceIdentifier);
        return request;
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0 ||
        (request.ContentLength is null && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) &&
         !HttpMethods.IsDelete(request.Method) && !HttpMethods.IsOptions(request.Method) && request.ContentType is not null);

    private static void CopyResponseHeaders(HttpResponseMessage from, HttpResponse to)
    {
        foreach (var (name, values) in from.Headers.Concat(from.Content.Headers))
        {
            if (!HopByHop.Contains(name))
            {
                to.Headers[name] = values.ToArray();
            }
        }
    }

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T match)
            {
                return match;
            }
        }

        return null;
    }

    /// <summary>One connection pool for every upstream: no proxy, no cookies, no redirects, no decompression.</summary>
    public static HttpMessageInvoker CreateInvoker() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        ActivityHeadersPropagator = null,
        ConnectCallback = null,
        EnableMultipleHttp2Connections = true,
    }, disposeHandler: true);
}
