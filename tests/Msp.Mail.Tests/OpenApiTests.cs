using System.Net.Http.Json;
using System.Text.Json;

namespace Msp.Mail.Tests;

[Collection(nameof(MailApiCollection))]
public sealed class OpenApiTests(MailFactory factory)
{
    [Fact]
    public async Task TheServiceDescribesItsApi()
    {
        var document = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.ShouldContain("/api/mail/deliveries");
        paths.ShouldContain("/api/mail/deliveries/{id}/retry");
        paths.ShouldContain("/api/mail/unmatched/{id}/assign");
        paths.ShouldContain("/api/mail/preferences");
    }
}
