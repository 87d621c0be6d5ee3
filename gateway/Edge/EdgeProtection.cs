using System.Globalization;
using System.Threading.RateLimiting;
using Msp.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.RateLimiting;

namespace Msp.Gateway.Edge;

/// <summary>What the public edge does before anything is forwarded: per-client-address rate limits answering
/// 429 with <c>Retry-After</c>, CORS closed unless origins are configured, and security headers on every answer.
/// Per-tenant limits join these once requests carry a signed-in principal.</summary>
public static class EdgeProtection
{
    public const string CorsPolicy = "configured-origins";

    public static WebApplicationBuilder AddEdgeProtection(this WebApplicationBuilder builder)
    {
        var limits = builder.Configuration.GetSection(EdgeOptions.Section).Get<EdgeOptions>() ?? new EdgeOptions();
        builder.Services.AddSingleton(limits);
        builder.Services.AddCors(o => o.AddPolicy(CorsPolicy, p =>
        {
            if (limits.AllowedOrigins.Length > 0)
            {
                p.WithOrigins(limits.AllowedOrigins).AllowAnyHeader().AllowAnyMethod().WithExposedHeaders("ETag", "X-Correlation-Id", "Retry-After");
            }
        }));
        builder.Services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.Request.Path.StartsWithSegments("/health")
                    ? RateLimitPartition.GetNoLimiter("health")
                    : RateLimitPartition.GetFixedWindowLimiter(
                        context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions
                        {
                            PermitLimit = limits.PerClientAddress.PermitLimit,
                            Window = limits.PerClientAddress.Window,
                            QueueLimit = 0,
                        }));
            o.OnRejected = RejectAsync;
        });
        return builder;
    }

    public static WebApplication UseEdgeProtection(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers["X-Content-Type-Options"] = "nosniff";
                headers["X-Frame-Options"] = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'";
                headers["Cross-Origin-Resource-Policy"] = "same-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
                headers.Remove("Server");
                headers.Remove("X-Powered-By");
                return Task.CompletedTask;
            });
            return next(context);
        });
        app.UseCors(CorsPolicy);
        app.UseRateLimiter();
        return app;
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await context.WriteProblemAsync(
            StatusCodes.Status429TooManyRequests, "Too many requests", $"This client address sent too many requests; retry in {seconds} s.");
    }
}

/// <summary>Bound from <c>Msp:Edge</c>.</summary>
public sealed class EdgeOptions
{
    public const string Section = "Msp:Edge";

    /// <summary>Browser origins allowed to call the API; none by default (CORS closed).</summary>
    public string[] AllowedOrigins { get; set; } = [];

    public WindowLimit PerClientAddress { get; set; } = new();
}

public sealed class WindowLimit
{
    public int PermitLimit { get; set; } = 6000;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
