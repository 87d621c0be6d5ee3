using System.Net.Http.Json;
using System.Text.Json;

namespace Msp.Tenants.Tests;

[Collection(nameof(TenantsCollection))]
public sealed class OpenApiTests(TenantsFactory factory)
{
    [Fact]
    public async Task TheServiceDescribesItsApi()
    {
        var document = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.ShouldContain("/api/tenants");
        paths.ShouldContain("/api/tenants/{id}");
        paths.ShouldContain("/api/tenants/{tenantId}/users");
        paths.ShouldContain("/api/staff/{id}/role");
        paths.ShouldContain("/api/auth/password/reset");
        document.GetProperty("paths").GetProperty("/api/tenants").TryGetProperty("post", out _).ShouldBeTrue();
    }
}
