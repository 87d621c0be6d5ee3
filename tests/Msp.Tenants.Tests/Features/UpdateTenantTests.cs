using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Msp.Tenants.Tests.Features;

[Collection(nameof(TenantsCollection))]
public sealed class UpdateTenantTests(TenantsFactory factory)
{
    private readonly HttpClient client = factory.Admin;

    private static object Renamed(string slug, string name = "Acme Dental Group") =>
        new { name, slug, timeZone = "America/New_York", country = "US" };

    [Fact]
    public async Task Update_ChangesTheTenantBumpsItsVersionAndQueuesTenantUpdated()
    {
        var slug = TenantsFactory.UniqueSlug();
        var id = await factory.CreateTenantAsync(client, slug);

        var response = await client.PutAsJsonAsync($"/api/tenants/{id}", Renamed(slug));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("name").GetString().ShouldBe("Acme Dental Group");
        body.GetProperty("version").GetInt64().ShouldBe(2);
        body.TryGetProperty("primaryContact", out var contact).ShouldBeTrue();
        contact.ValueKind.ShouldBe(JsonValueKind.Null);
        (await factory.Database.ScalarAsync<long>(
            "SELECT (payload->>'version')::bigint FROM outbox WHERE tenant_id = $1 AND message_type = 'Msp.Contracts.Tenants.TenantUpdated'", id)).ShouldBe(2);
    }

    [Fact]
    public async Task Update_WithAStaleIfMatch_AnswersPreconditionFailedAndChangesNothing()
    {
        var slug = TenantsFactory.UniqueSlug();
        var id = await factory.CreateTenantAsync(client, slug);
        (await client.PutAsJsonAsync($"/api/tenants/{id}", Renamed(slug, "First edit"))).EnsureSuccessStatusCode();

        var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/tenants/{id}") { Content = JsonContent.Create(Renamed(slug, "Lost edit")) };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var response = await client.SendAsync(stale);

        response.StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        (await factory.Database.ScalarAsync<string>("SELECT name FROM tenants WHERE id = $1", id)).ShouldBe("First edit");
    }

    [Fact]
    public async Task Update_ToAnotherTenantsSlug_AnswersConflict()
    {
        var taken = TenantsFactory.UniqueSlug();
        await factory.CreateTenantAsync(client, taken);
        var id = await factory.CreateTenantAsync(client);

        var response = await client.PutAsJsonAsync($"/api/tenants/{id}", Renamed(taken));

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("slug", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Update_UnknownTenant_AnswersNotFound()
    {
        var response = await client.PutAsJsonAsync($"/api/tenants/{Guid.CreateVersion7()}", Renamed(TenantsFactory.UniqueSlug()));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
