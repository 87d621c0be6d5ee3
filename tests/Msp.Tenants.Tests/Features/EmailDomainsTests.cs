using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Testing;

namespace Msp.Tenants.Tests.Features;

/// <summary>A tenant's e-mail domains: set and changed through the API, announced in its events, each one tenant's own.</summary>
[Collection(nameof(TenantsCollection))]
public sealed class EmailDomainsTests(TenantsFactory factory)
{
    [Fact]
    public async Task Domains_AreKeptLowercase_AnsweredAndAnnounced_AndLeftAsTheyAreWhenAnUpdateOmitsThem()
    {
        var slug = TenantsFactory.UniqueSlug();
        var domain = $"{slug}.example";
        var created = await factory.Admin.PostAsJsonAsync("/api/tenants", new
        {
            name = "Domains", slug, timeZone = "Europe/Paris", country = "FR", emailDomains = new[] { domain.ToUpperInvariant(), domain },
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var tenant = await created.Content.ReadFromJsonAsync<JsonElement>();
        tenant.GetProperty("emailDomains").EnumerateArray().Select(d => d.GetString()).ShouldBe([domain]);
        var announced = JsonDocument.Parse(await factory.Database.ScalarAsync<string>(
            "SELECT payload::text FROM outbox WHERE message_type LIKE '%.TenantCreated' AND payload->>'slug' = $1", slug)).RootElement;
        announced.GetProperty("emailDomains").EnumerateArray().Select(d => d.GetString()).ShouldBe([domain]);

        var id = tenant.GetProperty("id").GetGuid();
        var renamed = await factory.Admin.PutAsJsonAsync($"/api/tenants/{id}", new { name = "Renamed", slug, timeZone = "Europe/Paris", country = "FR" });
        (await renamed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("emailDomains").EnumerateArray().Select(d => d.GetString()).ShouldBe([domain]);
        var cleared = await factory.Admin.PutAsJsonAsync($"/api/tenants/{id}", new { name = "Renamed", slug, timeZone = "Europe/Paris", country = "FR", emailDomains = Array.Empty<string>() });
        (await cleared.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("emailDomains").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task ADomainOfAnotherTenant_IsAConflict_AndANonDomain_IsInvalid()
    {
        var domain = $"{TenantsFactory.UniqueSlug()}.example";
        (await factory.Admin.PostAsJsonAsync("/api/tenants", new { name = "First", slug = TenantsFactory.UniqueSlug(), timeZone = "UTC", country = "FR", emailDomains = new[] { domain } }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        var taken = await factory.Admin.PostAsJsonAsync("/api/tenants", new { name = "Second", slug = TenantsFactory.UniqueSlug(), timeZone = "UTC", country = "FR", emailDomains = new[] { domain } });
        await taken.ShouldNameAsync(HttpStatusCode.Conflict, "emailDomains");
        var invalid = await factory.Admin.PostAsJsonAsync("/api/tenants", new { name = "Third", slug = TenantsFactory.UniqueSlug(), timeZone = "UTC", country = "FR", emailDomains = new[] { "not a domain" } });
        await invalid.ShouldNameAsync(HttpStatusCode.BadRequest, "emailDomains[0]");
    }
}
