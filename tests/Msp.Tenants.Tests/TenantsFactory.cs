using System.Net.Http.Json;
using Msp.Testing;

namespace Msp.Tenants.Tests;

public sealed class TenantsFactory : ServiceFactory<Program>
{
    public static object NewTenant(string? slug = null) => new
    {
        name = "Acme Dental",
        slug = slug ?? UniqueSlug(),
        timeZone = "Europe/Paris",
        country = "FR",
        primaryContact = new { name = "Claire Martin", email = "it@acme.example", phone = "+33 1 23 45 67 89" },
    };

    public static string UniqueSlug() => "t" + Guid.NewGuid().ToString("N")[..12];

    public async Task<Guid> CreateTenantAsync(HttpClient client, string? slug = null)
    {
        var response = await client.PostAsJsonAsync("/api/tenants", NewTenant(slug));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IdOnly>())!.Id;
    }

    public Task<long> CountAsync(string table, string slugOrPayloadFragment) => table == "tenants"
        ? Database.ScalarAsync<long>("SELECT count(*) FROM tenants WHERE slug = $1", slugOrPayloadFragment)
        : Database.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE payload->>'slug' = $1", slugOrPayloadFragment);

    private sealed record IdOnly(Guid Id);
}

[CollectionDefinition(nameof(TenantsCollection))]
public sealed class TenantsCollection : ICollectionFixture<TenantsFactory>;
