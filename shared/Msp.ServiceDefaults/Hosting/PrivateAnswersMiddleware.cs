using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Msp.ServiceDefaults.Hosting;

/// <summary>Keeps answers to signed-in callers out of shared caches and off disks: <c>Cache-Control: no-store</c> on
/// every answer to a request that carries credentials (attachment downloads included), unless the endpoint set its own.
/// A successful read that carries a validator (an <c>ETag</c>) may be kept by the caller's own agent only, and must be
/// revalidated before each use: <c>private, no-cache</c>.</summary>
public sealed class PrivateAnswersMiddleware(RequestDelegate next)
{
    public const string NoStore = "no-store";

    public const string PrivateRevalidated = "private, no-cache";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            if (Signed(http) && http.Response.Headers.CacheControl.Count == 0)
            {
                var revalidated = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method);
                http.Response.Headers.CacheControl = revalidated && http.Response.StatusCode == StatusCodes.Status200OK
                    && http.Response.Headers.ContainsKey(HeaderNames.ETag) ? PrivateRevalidated : NoStore;
            }

            return Task.CompletedTask;
        }, context);
        return next(context);
    }

    private static bool Signed(HttpContext http) =>
        http.Request.Headers.Authorization.Count > 0 || http.User.Identity?.IsAuthenticated == true;
}
