using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Msp.Gateway.Tests.ApiReference;

public sealed class ApiReferencePageTests(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task ThePage_ListsEveryServicesDocument_AtItsGatewayRoute()
    {
        var response = await client.GetAsync("/api/docs/");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var page = await response.Content.ReadAsStringAsync();
        foreach (var service in new[] { "tenants", "tickets", "slas", "billing" })
        {
            page.ShouldContain($"\"url\":\"api/docs/openapi/{service}.json\"");
        }
    }

    [Fact]
    public async Task OneServicesPage_LoadsThatServicesDocumentFromItsGatewayRoute()
    {
        var page = await client.GetStringAsync("/api/docs/tickets");

        page.ShouldContain("\"url\":\"api/docs/openapi/tickets.json\"");
        page.ShouldNotContain("openapi/tenants.json");
    }

    [Fact]
    public async Task ThePage_MayRunItsOwnScriptsAndItsOneInlineScript_AndNothingElse()
    {
        var response = await client.GetAsync("/api/docs/");

        var page = await response.Content.ReadAsStringAsync();
        var inline = Regex.Matches(page, @"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", RegexOptions.Singleline).Single().Groups[1].Value;
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(inline)));
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        policy.ShouldContain($"script-src 'self' 'sha256-{hash}';");
        policy.ShouldContain("default-src 'none'");
        policy.ShouldContain("connect-src 'self'");
        policy.ShouldContain("frame-ancestors 'none'");
        response.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
    }

    [Fact]
    public async Task OtherAnswers_KeepTheClosedPolicy()
    {
        var api = await client.GetAsync("/api/tenants/echo");
        var script = await client.GetAsync("/api/docs/scalar.js");

        api.Headers.GetValues("Content-Security-Policy").ShouldBe(["default-src 'none'; frame-ancestors 'none'"]);
        script.StatusCode.ShouldBe(HttpStatusCode.OK, "Scalar's script is served by the gateway itself");
        script.Headers.GetValues("Content-Security-Policy").ShouldBe(["default-src 'none'; frame-ancestors 'none'"]);
    }

    [Fact]
    public async Task AServicesDocument_IsProxiedFromTheServicesOwnOpenApiRoute()
    {
        var response = await client.GetAsync("/api/docs/openapi/tenants.json");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("info").GetProperty("title").GetString().ShouldBe("Msp.Tenants | v1");
    }

    [Fact]
    public async Task TheGateway_HasNoEmptyDocumentOfItsOwn()
    {
        // The path falls to the web app's catch-all route (not running here, hence no answer from upstream): the
        // gateway itself serves no OpenAPI document.
        var response = await client.GetAsync("/openapi/v1.json");

        response.StatusCode.ShouldNotBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.ShouldNotBe("application/json");
    }
}
