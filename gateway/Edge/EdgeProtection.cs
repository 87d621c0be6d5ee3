using System.Globalization;
using System.Threading.RateLimiting;
using Msp.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Msp.ServiceDefaults.Identity;

namespace Msp.Gateway.Edge;

/// <summary>What the public edge does before anything is forwarded: an access token that is present must be valid
/// (the services check it again, with the user's current state); rate limits per client address and per tenant
/// answer 429 with <c>Retry-After</c>; CORS is closed unless origins are configured; security headers on every answer.</summary>
public static class EdgeProtection
{
    public const string CorsPolicy = "configured-origins";

    /// <summary>Where a page of the gateway's own that needs more than the closed policy puts its policy (the API reference).</summary>
    public const string ContentSecurityPolicyItem = "msp:content-security-policy";

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
        builder.AddMspAuthentication();
        builder.Services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                Limiter(limits.PerClientAddress, context => context.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
                Limiter(limits.PerTenant, TenantOf));
            o.OnRejected = RejectAsync;
        });
        return builder;
    }

    /// <summary>The partition a signed-in caller's requests count against: a client's tenant (all its users share
    /// it), or for staff, who act across tenants, the person. Anonymous requests only count per address.</summary>
    public static string? TenantOf(HttpContext context) =>
        context.User.Identity?.IsAuthenticated != true ? null
        : context.User.FindFirst(MspClaims.TenantId)?.Value is { } tenant ? $"tenant:{tenant}"
        : $"staff:{context.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value}";

    private static PartitionedRateLimiter<HttpContext> Limiter(WindowLimit limit, Func<HttpContext, string?> partition) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
            context.Request.Path.StartsWithSegments("/health") || partition(context) is not { } key
                ? RateLimitPartition.GetNoLimiter("none")
                : RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit.PermitLimit,
                    Window = limit.Window,
                    QueueLimit = 0,
                }));

    public static WebApplication UseEdgeProtection(this WebApplication app)
    {
        var edge = app.Services.GetRequiredService<EdgeOptions>();
        if (edge.TrustedProxies.Length > 0)
        {
            // A trusted proxy (the web app, calling the API for the browser it serves) names the browser's address in
            // X-Forwarded-For, which then counts against the per-address limit and is forwarded; anyone else's is ignored.
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor, ForwardLimit = 1 };
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            foreach (var proxy in edge.TrustedProxies)
            {
                forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }

            app.UseForwardedHeaders(forwarded);
        }

        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers["X-Content-Type-Options"] = "nosniff";
                headers["X-Frame-Options"] = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                // The API reference asks for its own policy; an upstream that serves pages (the web app) sends the policy its
                // pages need; every other answer gets the closed one.
                if (context.Items[ContentSecurityPolicyItem] is string own)
                {
                    headers["Content-Security-Policy"] = own;
                }
                else if (!headers.ContainsKey("Content-Security-Policy"))
                {
                    headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'";
                }

                headers["Cross-Origin-Resource-Policy"] = "same-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
                headers.Remove("Server");
                headers.Remove("X-Powered-By");
                return Task.CompletedTask;
            });
            return next(context);
        });
        app.UseCors(CorsPolicy);
        app.Use(async (context, next) =>
        {
            // A token that does not read (forged, expired, from another key ring) ends here. Without one, the request
            // goes on: sign-in is anonymous, and each service answers 401 for what needs a user.
            if (context.Request.Headers.Authorization.Count > 0 && context.User.Identity?.IsAuthenticated != true)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
                await context.WriteProblemAsync(StatusCodes.Status401Unauthorized, "Invalid access token", "The access token is invalid or has expired; refresh it or sign in again.");
                return;
            }

            await next(context);
        });
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
            StatusCodes.Status429TooManyRequests, "Too many requests", $"Too many requests from this client address or tenant; retry in {seconds} s.");
    }
}

/// <summary>Bound from <c>Msp:Edge</c>.</summary>
public sealed class EdgeOptions
{
    public const string Section = "Msp:Edge";

    /// <summary>Browser origins allowed to call the API; none by default (CORS closed).</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Addresses of proxies (the web app) whose <c>X-Forwarded-For</c> names the real client; none by default.</summary>
    public string[] TrustedProxies { get; set; } = [];

    public WindowLimit PerClientAddress { get; set; } = new();

    /// <summary>What all users of one client tenant (or one member of staff) may send together.</summary>
    public WindowLimit PerTenant { get; set; } = new() { PermitLimit = 3000 };
}

public sealed class WindowLimit
{
    public int PermitLimit { get; set; } = 6000;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
