using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Msp.ServiceDefaults.Hosting;

/// <summary>Refuses a declared oversized body before reading it; Kestrel's own limit catches chunked ones.</summary>
public sealed class RequestSizeLimitMiddleware(RequestDelegate next, RequestLimits limits)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limits.MaxRequestBodyBytes;
        }

        if (context.Request.ContentLength > limits.MaxRequestBodyBytes)
        {
            await context.WriteProblemAsync(
                StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The body may be at most {limits.MaxRequestBodyBytes} bytes.", field: "body");
            return;
        }

        await next(context);
    }
}
