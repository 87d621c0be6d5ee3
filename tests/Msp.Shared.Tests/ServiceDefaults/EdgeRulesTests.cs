using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Msp.ServiceDefaults.Hosting;

namespace Msp.Shared.Tests.ServiceDefaults;

public sealed record EchoRequest(string? Name, Dictionary<string, int>? Counts, List<string>? Tags);

/// <summary>The hosting defaults' rules for hostile input and for error answers, on a real Kestrel server (the services'
/// server), so that what Kestrel itself answers before any application code runs is seen too.</summary>
public sealed class EdgeRulesTests : IAsyncLifetime
{
    private WebApplication app = null!;
    private HttpClient client = null!;
    private Uri address = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        builder.Services.AddAuthentication();
        app = builder.Build();
        app.UseServiceDefaults();
        app.MapPost("/echo", (EchoRequest request) => TypedResults.Ok(request));
        app.MapGet("/search", (string? q) => TypedResults.Ok(q));
        app.MapGet("/conflict", () => Problems.Conflict("slug", "The slug is taken."));
        app.MapGet("/versioned", (HttpContext http) =>
        {
            http.Response.Headers.ETag = "\"7\"";
            return TypedResults.Ok("v7");
        });
        await app.StartAsync();
        address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        client = new HttpClient { BaseAddress = address };
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json", text);
        var json = JsonDocument.Parse(text).RootElement.Clone();
        (json.TryGetProperty("status", out var stated) ? stated.GetInt32() : 0).ShouldBe((int)status, text);
        if (field is not null)
        {
            (json.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _)).ShouldBeTrue(text);
        }

        return json;
    }

    private static StringContent Json(string text, string contentType = "application/json")
    {
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = null;
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    [Theory]
    [InlineData("""{"name":"a\u0000b"}""", "name")]
    [InlineData("""{"tags":["ok","a\u0000"]}""", "tags[1]")]
    public async Task ANulInAJsonBody_Answers400NamingItsPath_AsTextThatCannotBeStored(string body, string field)
    {
        var problem = await ProblemAsync(await client.PostAsync("/echo", Json(body)), HttpStatusCode.BadRequest, field);

        problem.GetProperty("errors").GetProperty(field)[0].GetString()!.ShouldContain("cannot be stored");
    }

    /// <summary>The JSON reader refuses an escaped surrogate without its pair by itself; the converter refuses what else
    /// might carry one.</summary>
    [Theory]
    [InlineData("""{"name":"\ud800"}""", "name")]
    [InlineData("""{"name":"x\udc00y"}""", "name")]
    public async Task AnUnpairedSurrogateInAJsonBody_Answers400NamingItsPath(string body, string field) =>
        await ProblemAsync(await client.PostAsync("/echo", Json(body)), HttpStatusCode.BadRequest, field);

    [Fact]
    public async Task ANulInADictionaryKey_Answers400_AndOrdinaryTextIsRead()
    {
        await ProblemAsync(await client.PostAsync("/echo", Json("""{"counts":{"a\u0000":1}}""")), HttpStatusCode.BadRequest);

        var echoed = await client.PostAsync("/echo", Json("""{"name":"Zoë \ud83d\ude00 \u0001 tab\t","counts":{"ok":1}}"""));
        echoed.StatusCode.ShouldBe(HttpStatusCode.OK, "a pair of surrogates and control characters other than NUL can be stored");
        (await echoed.Content.ReadFromJsonAsync<EchoRequest>())!.Name.ShouldBe("Zoë 😀 \u0001 tab\t");
    }

    [Theory]
    [InlineData("q=a%00b", "q")]
    [InlineData("q=%00", "q")]
    [InlineData("other=%00", "other")]
    [InlineData("a%00b=1", "query")]
    public async Task ANulInTheQueryString_Answers400NamingTheParameter(string query, string field) =>
        await ProblemAsync(await client.GetAsync($"/search?{query}"), HttpStatusCode.BadRequest, field);

    [Fact]
    public async Task AnUnreadableContentType_Answers400_AndAnUnknownCharset415_BothProblemDocuments()
    {
        await ProblemAsync(await client.PostAsync("/echo", Json("{}", ";;;")), HttpStatusCode.BadRequest, "Content-Type");
        await ProblemAsync(await client.PostAsync("/echo", Json("{}", "application/json; charset=no-such-charset")), HttpStatusCode.UnsupportedMediaType, "Content-Type");
        await ProblemAsync(await client.PostAsync("/echo", Json("{}", "text/plain")), HttpStatusCode.UnsupportedMediaType, "Content-Type");
    }

    [Theory]
    [InlineData("application/xml")]
    [InlineData("text/html")]
    [InlineData("image/png")]
    public async Task ErrorAnswers_AreProblemDocuments_WhateverTheCallerAccepts(string accept)
    {
        async Task<HttpResponseMessage> GetAsync(string url)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Accept", accept);
            return await client.SendAsync(request);
        }

        await ProblemAsync(await GetAsync("/conflict"), HttpStatusCode.Conflict, "slug");
        await ProblemAsync(await GetAsync("/no-such-page"), HttpStatusCode.NotFound);
        await ProblemAsync(await GetAsync("/search?q=%00"), HttpStatusCode.BadRequest, "q");
    }

    [Fact]
    public async Task SignedInAnswers_AreNotStored_ButAReadWithAnETagIsKeptPrivatelyAndRevalidated()
    {
        HttpRequestMessage Signed(string url)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "any");
            return request;
        }

        (await client.SendAsync(Signed("/search?q=x"))).Headers.CacheControl!.NoStore.ShouldBeTrue();
        (await client.SendAsync(Signed("/conflict"))).Headers.CacheControl!.NoStore.ShouldBeTrue();
        var versioned = (await client.SendAsync(Signed("/versioned"))).Headers.CacheControl!;
        (versioned.Private, versioned.NoCache, versioned.NoStore).ShouldBe((true, true, false));
        (await client.GetAsync("/search?q=x")).Headers.CacheControl.ShouldBeNull("an anonymous answer is left as it is");
    }

    /// <summary>Sends raw bytes and answers the status line and the rest of the answer.</summary>
    private async Task<(string StatusLine, string Answer)> RawAsync(byte[] request)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(address.Host, address.Port);
        await socket.SendAsync(request);

        var answer = new List<byte>();
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            answer.AddRange(buffer.AsSpan(0, read).ToArray());
            var text = Encoding.UTF8.GetString([.. answer]);
            if (text.Contains("\r\n\r\n") && (text.Contains("Content-Length: 0") || text.EndsWith('}') || !text.Contains("Content-Length")))
            {
                break;
            }
        }

        var all = Encoding.UTF8.GetString([.. answer]);
        return (all.Split("\r\n")[0], all);
    }

    /// <summary>What Kestrel refuses while reading the request line and headers never reaches the application (no
    /// middleware, no exception handler, no problem-details writer runs): a NUL in the path (%00), a request line too
    /// long (414), headers too large (431). Kestrel answers those itself with a bare status and no body, in every
    /// service and in the gateway alike; the application's own rules (the NUL check of paths and queries) apply to
    /// everything Kestrel lets through. This test pins that behaviour, so that a change in it is seen.</summary>
    [Theory]
    [InlineData("nul", "HTTP/1.1 400 Bad Request")]
    [InlineData("long", "HTTP/1.1 414 URI Too Long")]
    [InlineData("headers", "HTTP/1.1 431 Request Header Fields Too Large")]
    public async Task WhatKestrelRefusesBeforeTheApplication_IsABare4xx_NeverA5xx(string kind, string expected)
    {
        var request = kind switch
        {
            "nul" => $"GET /search/a%00b HTTP/1.1\r\nHost: {address.Authority}\r\n\r\n",
            "long" => $"GET /search?q={new string('x', 20_000)} HTTP/1.1\r\nHost: {address.Authority}\r\n\r\n",
            _ => $"GET /search HTTP/1.1\r\nHost: {address.Authority}\r\nX-Big: {new string('h', 40_000)}\r\n\r\n",
        };

        var (status, rest) = await RawAsync(Encoding.ASCII.GetBytes(request));

        status.ShouldBe(expected, rest);
        rest.ShouldContain("Content-Length: 0", customMessage: "Kestrel's own answer has no body: no problem document can be written for it");
    }
}
