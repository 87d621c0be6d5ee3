using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Msp.Gateway.Tests.Edge;

/// <summary>A gateway that trusts one proxy (the web app at 10.0.0.5) and lets each client address send three
/// requests. The test says, in a header only this factory reads, which address a request comes from.</summary>
public sealed class TrustedProxyGatewayFactory : GatewayFactory
{
    public const int Limit = 3;
    public const string Proxy = "10.0.0.5";
    public const string From = "X-Test-From";

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Msp:Edge:PerClientAddress:PermitLimit", Limit.ToString());
        builder.UseSetting("Msp:Edge:TrustedProxies:0", Proxy);
        builder.ConfigureServices(s => s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, RemoteAddressFromHeader>());
    }

    private sealed class RemoteAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers[From] is [{ } address])
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(address);
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

public sealed class TrustedProxyTests(TrustedProxyGatewayFactory gateway) : IClassFixture<TrustedProxyGatewayFactory>
{
    [Fact]
    public async Task ATrustedProxy_CountsEachBrowserAddressOnItsOwn_AndForwardsIt()
    {
        var client = gateway.CreateClient();
        var answers = new List<HttpResponseMessage>();
        foreach (var browser in new[] { "198.51.100.1", "198.51.100.2" })
        {
            for (var i = 0; i < TrustedProxyGatewayFactory.Limit; i++)
            {
                answers.Add(await client.SendAsync(Request(TrustedProxyGatewayFactory.Proxy, browser)));
            }
        }

        answers.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        var echoed = await answers.Last().Content.ReadFromJsonAsync<JsonElement>();
        echoed.GetProperty("headers").GetProperty("x-forwarded-for").GetString().ShouldBe("198.51.100.2");
        (await client.SendAsync(Request(TrustedProxyGatewayFactory.Proxy, "198.51.100.2"))).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task AnyoneElse_CannotEscapeTheLimitByNamingAnotherAddress()
    {
        var client = gateway.CreateClient();
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i <= TrustedProxyGatewayFactory.Limit; i++)
        {
            answers.Add(await client.SendAsync(Request("203.0.113.9", $"198.51.100.{10 + i}")));
        }

        answers.Last().StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        var first = await answers[0].Content.ReadFromJsonAsync<JsonElement>();
        first.GetProperty("headers").GetProperty("x-forwarded-for").GetString().ShouldBe("203.0.113.9");
    }

    private static HttpRequestMessage Request(string from, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/tenants/echo");
        request.Headers.Add(TrustedProxyGatewayFactory.From, from);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return request;
    }
}
