using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

using Msp.Testing;

namespace Msp.EndToEnd;

[Collection(nameof(PlatformCollection))]
public sealed class ApiReferenceThroughTheGatewayTests(Platform platform, ITestOutputHelper output)
{
    /// <summary>Each service's document, the path prefixes the gateway routes to it, and operations it must hold:
    /// one that needs a signed-in caller, and (for Tenants) one that does not.</summary>
    public static TheoryData<string, string[], string, string?> Services => new()
    {
        { "tenants", ["/api/tenants", "/api/auth", "/api/users", "/api/staff"], "post /api/tenants", "post /api/auth/login" },
        { "tickets", ["/api/tickets"], "post /api/tickets", null },
        { "slas", ["/api/slas"], "get /api/slas/policies", null },
        { "billing", ["/api/billing"], "post /api/billing/contracts", null },
    };

    [Fact]
    public async Task ThePage_IsServedByTheGateway_OverEveryServicesDocument()
    {
        var response = await platform.Anonymous().GetAsync("/api/docs/");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await response.Content.ReadAsStringAsync();
        foreach (var service in Platform.Services)
        {
            page.ShouldContain($"api/docs/openapi/{service}.json");
        }

        (await platform.Anonymous().GetAsync("/api/docs/scalar.js")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task EveryServicesDocument_ReachedThroughTheGateway_DeclaresTheBearerTokenOnWhatNeedsIt(
        string service, string[] routed, string secured, string? open)
    {
        var response = await platform.Anonymous().GetAsync($"/api/docs/openapi/{service}.json");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var document = await response.Content.ReadFromJsonAsync<JsonElement>();
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        scheme.GetProperty("type").GetString().ShouldBe("http");
        scheme.GetProperty("scheme").GetString().ShouldBe("bearer");
        document.GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("url").GetString()).ShouldBe(["/"]);

        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Key: $"{op.Name} {path.Name}", Path: path.Name, Operation: op.Value)))
            .ToDictionary(o => o.Key);
        output.WriteLine($"{service}: {operations.Count} operations");
        // The server is the gateway, so every path must be one the gateway routes to this service.
        operations.Values.ShouldAllBe(o => routed.Any(prefix => o.Path == prefix || o.Path.StartsWith(prefix + "/")));
        Requirements(operations[secured].Operation).ShouldBe(["Bearer"]);
        if (open is not null)
        {
            Requirements(operations[open].Operation).ShouldBeEmpty();
        }
    }

    private static string[] Requirements(JsonElement operation) =>
        operation.TryGetProperty("security", out var security)
            ? security.EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).ToArray()
            : [];
}
