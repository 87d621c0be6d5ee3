using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Msp.ServiceDefaults.Hosting;

/// <summary>Refuses a declared oversized body before reading it; Kestrel's own limit catches chunked ones. The limit
/// is <c>Msp:Requests:MaxRequestBodyBytes</c>, unless the endpoint declares its own (<see cref="BodySizeLimit"/>).</summary>
public sealed class RequestSizeLimitMiddleware(RequestDelegate next, RequestLimits limits)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? limits.MaxRequestBodyBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        if (context.Request.ContentLength > limit)
        {
            // The body stays unread, so the connection cannot carry another request: say so, or the client reuses it
            // and its next request fails with the connection closed under it.
            context.Response.Headers.Connection = "close";
            await context.WriteProblemAsync(
                StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The body may be at most {limit} bytes.", field: "body");
            return;
        }

        await next(context);
    }
}

/// <summary>An endpoint's own body size limit (an upload takes more than a JSON request).</summary>
public sealed record BodySizeLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
