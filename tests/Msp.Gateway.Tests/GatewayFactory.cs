using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Msp.Gateway.Tests;

/// <summary>The gateway in-process, routing to a real upstream web server on a loopback port, plus a route to a
/// port where nothing listens.</summary>
public class GatewayFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private WebApplication upstream = null!;

    public string UpstreamAddress { get; private set; } = "";

    public bool UpstreamReady { get; set; } = true;

    public virtual async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        upstream = builder.Build();
        upstream.MapGet("/health/ready", () => UpstreamReady ? Results.Ok(new { status = "Healthy" }) : Results.StatusCode(503));
        upstream.MapGet("/openapi/v1.json", () => Results.Json(new { openapi = "3.1.1", info = new { title = "Msp.Tenants | v1" } }));
        upstream.Map("/api/tenants/echo/{**rest}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            context.Response.Headers["X-Upstream"] = "yes";
            context.Response.Headers["Keep-Alive"] = "timeout=5";
            return Results.Json(new
            {
                method = context.Request.Method,
                path = context.Request.Path.Value,
                query = context.Request.QueryString.Value,
                body,
                headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
            });
        });
        upstream.MapGet("/api/tenants/page", (HttpContext context) =>
        {
            context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'";
            return Results.Content("<!DOCTYPE html><title>page</title>", "text/html");
        });
        upstream.MapGet("/api/slow", async (CancellationToken ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), ct);
            return Results.Ok();
        });
        upstream.MapGet("/api/tenants/large", () => Results.Bytes(Enumerable.Range(0, 3_000_000).Select(i => (byte)(i % 251)).ToArray(), "application/octet-stream"));
        await upstream.StartAsync();
        UpstreamAddress = upstream.Urls.Single();
    }

    /// <summary>The address every test client calls from (the test server has no socket to take one from).</summary>
    public static readonly IPAddress ClientAddress = IPAddress.Parse("198.51.100.7");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ClientAddressFilter>());
        Configure(builder);
        builder.UseEnvironment("Testing");
        builder.UseSetting("Msp:Requests:MaxRequestBodyBytes", "1024");
        builder.UseSetting("ReverseProxy:Routes:tenants:ClusterId", "tenants");
        builder.UseSetting("ReverseProxy:Routes:tenants:Match:Path", "/api/tenants/{**catch-all}");
        builder.UseSetting("ReverseProxy:Clusters:tenants:Destinations:d1:Address", UpstreamAddress);
        // Only the "slow" route has a short timeout: a cold first request on a busy machine must not trip it.
        builder.UseSetting("ReverseProxy:Routes:slow:ClusterId", "slow");
        builder.UseSetting("ReverseProxy:Routes:slow:Match:Path", "/api/slow");
        builder.UseSetting("ReverseProxy:Clusters:slow:Destinations:d1:Address", UpstreamAddress);
        builder.UseSetting("ReverseProxy:Clusters:slow:HttpRequest:ActivityTimeout", "00:00:00.500");
        // A cluster whose first destination refuses connections (a dead replica) and whose second answers, taken in turn.
        builder.UseSetting("ReverseProxy:Routes:halfdown:ClusterId", "halfdown");
        builder.UseSetting("ReverseProxy:Routes:halfdown:Match:Path", "/api/tenants/echo/halfdown/{**catch-all}");
        builder.UseSetting("ReverseProxy:Clusters:halfdown:LoadBalancingPolicy", "RoundRobin");
        builder.UseSetting("ReverseProxy:Clusters:halfdown:Destinations:d1:Address", $"http://127.0.0.1:{UnusedPort()}");
        builder.UseSetting("ReverseProxy:Clusters:halfdown:Destinations:d2:Address", UpstreamAddress);
        builder.UseSetting("ReverseProxy:Routes:down:ClusterId", "down");
        builder.UseSetting("ReverseProxy:Routes:down:Match:Path", "/api/down/{**catch-all}");
        builder.UseSetting("ReverseProxy:Clusters:down:Destinations:d1:Address", $"http://127.0.0.1:{UnusedPort()}");
    }

    /// <summary>Settings a variant of this gateway adds to the ones every test uses.</summary>
    protected virtual void Configure(IWebHostBuilder builder)
    {
    }

    private sealed class ClientAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress ??= ClientAddress;
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    protected static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await upstream.DisposeAsync();
        await DisposeAsync();
    }
}
