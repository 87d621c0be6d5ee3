using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;

namespace Msp.Gateway.Tests.Edge;

/// <summary>A gateway with a limit small enough to reach, and one browser origin allowed.</summary>
public sealed class LimitedGatewayFactory : GatewayFactory
{
    public const int Limit = 3;
    public const string Portal = "https://portal.example";

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Msp:Edge:PerClientAddress:PermitLimit", Limit.ToString());
        builder.UseSetting("Msp:Edge:PerClientAddress:Window", "00:01:00");
        builder.UseSetting("Msp:Edge:AllowedOrigins:0", Portal);
    }
}

public sealed class EdgeProtectionTests(LimitedGatewayFactory limited, GatewayFactory open)
    : IClassFixture<LimitedGatewayFactory>, IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task PastTheLimit_AClientAddressGetsTooManyRequestsWithRetryAfter_AndHealthStaysReachable()
    {
        var client = limited.CreateClient();
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < LimitedGatewayFactory.Limit + 2; i++)
        {
            answers.Add(await client.GetAsync("/api/tenants/echo"));
        }

        answers.Take(LimitedGatewayFactory.Limit).ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        var refused = answers.Last();
        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        int.Parse(refused.Headers.GetValues("Retry-After").Single()).ShouldBeInRange(1, 60);
        (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32().ShouldBe(429);
        (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task EveryAnswer_CarriesSecurityHeaders()
    {
        var response = await open.CreateClient().GetAsync("/api/tenants/echo");

        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        response.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        response.Headers.GetValues("Referrer-Policy").ShouldBe(["no-referrer"]);
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("frame-ancestors 'none'");
    }

    [Fact]
    public async Task AnUpstreamsOwnContentSecurityPolicy_Stands()
    {
        var response = await open.CreateClient().GetAsync("/api/tenants/page");

        response.Headers.GetValues("Content-Security-Policy").ShouldBe(["default-src 'self'; frame-ancestors 'none'"]);
        response.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
    }

    [Fact]
    public async Task Cors_IsClosedByDefault()
    {
        var response = await open.CreateClient().SendAsync(Preflight("https://evil.example"));

        response.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    [Fact]
    public async Task Cors_AllowsOnlyTheConfiguredOrigins()
    {
        var client = limited.CreateClient();

        var allowed = await client.SendAsync(Preflight(LimitedGatewayFactory.Portal));
        var other = await client.SendAsync(Preflight("https://evil.example"));

        allowed.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe([LimitedGatewayFactory.Portal]);
        other.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/tenants/echo");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        return request;
    }
}
