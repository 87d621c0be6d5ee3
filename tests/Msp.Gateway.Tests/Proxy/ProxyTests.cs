using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Msp.Gateway.Tests.Proxy;

public sealed class ProxyTests(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task Forward_SendsMethodPathQueryAndBodyToTheCluster()
    {
        var response = await client.PostAsync("/api/tenants/echo/a/b?x=1&y=two", new StringContent("""{"hello":"world"}""", Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var echo = await response.Content.ReadFromJsonAsync<JsonElement>();
        echo.GetProperty("method").GetString().ShouldBe("POST");
        echo.GetProperty("path").GetString().ShouldBe("/api/tenants/echo/a/b");
        echo.GetProperty("query").GetString().ShouldBe("?x=1&y=two");
        echo.GetProperty("body").GetString().ShouldBe("""{"hello":"world"}""");
        echo.GetProperty("headers").GetProperty("content-type").GetString()!.ShouldStartWith("application/json");
        response.Headers.GetValues("X-Upstream").ShouldBe(["yes"]);
    }

    [Fact]
    public async Task Forward_DropsHopByHopHeadersBothWaysAndSetsForwardedHeaders()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/tenants/echo");
        request.Headers.TryAddWithoutValidation("Connection", "X-Private");
        request.Headers.TryAddWithoutValidation("X-Private", "secret");
        request.Headers.TryAddWithoutValidation("Keep-Alive", "timeout=5");
        request.Headers.TryAddWithoutValidation("Proxy-Authorization", "Basic abc");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "spoofed.example");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.9");
        request.Headers.TryAddWithoutValidation("X-Kept", "kept");

        var response = await client.SendAsync(request);

        var headers = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("headers");
        headers.TryGetProperty("x-private", out _).ShouldBeFalse();
        headers.TryGetProperty("keep-alive", out _).ShouldBeFalse();
        headers.TryGetProperty("proxy-authorization", out _).ShouldBeFalse();
        headers.GetProperty("x-kept").GetString().ShouldBe("kept");
        headers.GetProperty("x-forwarded-for").GetString().ShouldBe(GatewayFactory.ClientAddress.ToString());
        headers.GetProperty("x-forwarded-proto").GetString().ShouldBe("http");
        headers.GetProperty("x-forwarded-host").GetString().ShouldBe("localhost");
        response.Headers.Contains("Keep-Alive").ShouldBeFalse();
    }

    [Fact]
    public async Task Forward_ACallerCannotRemoveOrExtendWhatTheGatewaySets()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/tenants/echo");
        request.Headers.TryAddWithoutValidation("Connection", "X-Forwarded-For, X-Correlation-Id");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.9");
        request.Headers.TryAddWithoutValidation("Forwarded", "for=203.0.113.9");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Prefix", "/spoofed");

        var response = await client.SendAsync(request);

        var headers = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("headers");
        headers.GetProperty("x-forwarded-for").GetString().ShouldBe(GatewayFactory.ClientAddress.ToString());
        headers.GetProperty("x-correlation-id").GetString().ShouldBe(response.Headers.GetValues("X-Correlation-Id").Single());
        headers.TryGetProperty("forwarded", out _).ShouldBeFalse();
        headers.TryGetProperty("x-forwarded-prefix", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Forward_ReplacesACorrelationIdThatIsNotSafeToLog()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/tenants/echo");
        request.Headers.TryAddWithoutValidation("X-Correlation-Id", "two words");

        var response = await client.SendAsync(request);

        var forwarded = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("headers").GetProperty("x-correlation-id").GetString();
        forwarded.ShouldNotBe("two words");
        forwarded.ShouldBe(response.Headers.GetValues("X-Correlation-Id").Single());
    }

    [Fact]
    public async Task Forward_PassesTheCallersCorrelationIdOrCreatesOne()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/tenants/echo");
        request.Headers.Add("X-Correlation-Id", "abc-123");
        var passed = await client.SendAsync(request);
        var created = await client.GetAsync("/api/tenants/echo");

        (await passed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("headers").GetProperty("x-correlation-id").GetString().ShouldBe("abc-123");
        passed.Headers.GetValues("X-Correlation-Id").ShouldBe(["abc-123"]);
        var made = created.Headers.GetValues("X-Correlation-Id").Single();
        made.Length.ShouldBe(32);
        (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("headers").GetProperty("x-correlation-id").GetString().ShouldBe(made);
    }

    [Fact]
    public async Task Forward_StreamsLargeResponsesWhole()
    {
        var bytes = await client.GetByteArrayAsync("/api/tenants/large");

        bytes.Length.ShouldBe(3_000_000);
        bytes[1000].ShouldBe((byte)(1000 % 251));
    }

    [Fact]
    public async Task Forward_WhenTheUpstreamIsTooSlow_AnswersGatewayTimeoutProblem()
    {
        var response = await client.GetAsync("/api/slow");

        response.StatusCode.ShouldBe(HttpStatusCode.GatewayTimeout);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("title").GetString().ShouldBe("Upstream timed out");
        problem.GetProperty("correlationId").GetString().ShouldBe(response.Headers.GetValues("X-Correlation-Id").Single());
    }

    [Fact]
    public async Task Forward_WhenTheUpstreamIsUnreachable_AnswersBadGatewayProblem()
    {
        var response = await client.GetAsync("/api/down/anything");

        response.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("title").GetString().ShouldBe("Upstream unavailable");
        problem.GetProperty("detail").GetString().ShouldBe("The down service could not be reached.");
    }

    [Fact]
    public async Task Forward_WhenOneDestinationRefusesTheConnection_SendsTheRequestWithItsBodyToAnother()
    {
        for (var i = 0; i < 6; i++)
        {
            var response = await client.PostAsync($"/api/tenants/echo/halfdown/{i}", new StringContent($$"""{"n":{{i}}}""", Encoding.UTF8, "application/json"));

            response.StatusCode.ShouldBe(HttpStatusCode.OK, $"request {i}: a dead replica costs no request that never reached it");
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("body").GetString().ShouldBe($$"""{"n":{{i}}}""");
        }
    }

    [Fact]
    public async Task Forward_ABodyOverTheCap_AnswersPayloadTooLargeWithoutReachingTheUpstream()
    {
        var response = await client.PostAsync("/api/tenants/echo", new ByteArrayContent(new byte[2048]));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        response.Headers.Contains("X-Upstream").ShouldBeFalse();
        response.Headers.ConnectionClose.ShouldBe(true, "the unread body leaves the connection unusable");
    }

    [Fact]
    public async Task UnknownRoute_AnswersNotFoundProblem()
    {
        var response = await client.GetAsync("/api/nowhere");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }
}
