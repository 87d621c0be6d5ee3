using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Msp.ServiceDefaults.Hosting;

/// <summary>Refuses a declared oversized body before reading it; Kestrel's own limit catches chunked ones.</summary>
public sealed class RequestSizeLimitMiddleware(RequestDelegate next, RequestLimits limits, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limits.MaxRequestBodyBytes;
        }

        if (context.Request.ContentLength > limits.MaxRequestBodyBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Title = "Request body too large",
                    Detail = $"The body may be at most {limits.MaxRequestBodyBytes} bytes.",
                    Extensions = { ["errors"] = new Dictionary<string, string[]> { ["body"] = [$"The body may be at most {limits.MaxRequestBodyBytes} bytes."] } },
                },
            });
            return;
        }

        await next(context);
    }
}
