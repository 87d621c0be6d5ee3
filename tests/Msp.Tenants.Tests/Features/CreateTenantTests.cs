using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Msp.Tenants.Tests.Features;

[Collection(nameof(TenantsCollection))]
public sealed class CreateTenantTests(TenantsFactory factory)
{
    private readonly HttpClient client = factory.Admin;

    [Fact]
    public async Task Create_AnswersCreatedWithTheTenantAndItsLocation()
    {
        var slug = TenantsFactory.UniqueSlug();

        var response = await client.PostAsJsonAsync("/api/tenants", TenantsFactory.NewTenant(slug));

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetGuid();
        id.ShouldNotBe(Guid.Empty);
        body.GetProperty("slug").GetString().ShouldBe(slug);
        body.GetProperty("status").GetString().ShouldBe("Active");
        body.GetProperty("primaryContact").GetProperty("email").GetString().ShouldBe("it@acme.example");
        body.TryGetProperty("eTag", out _).ShouldBeFalse();
        response.Headers.Location!.ToString().ShouldBe($"/api/tenants/{id}");
        response.Headers.ETag!.Tag.ShouldBe("\"1\"");
    }

    [Fact]
    public async Task Create_WritesTenantCreatedToTheOutboxWithTheTenant()
    {
        var slug = TenantsFactory.UniqueSlug();

        var id = await factory.CreateTenantAsync(client, slug);

        (await factory.Database.ScalarAsync<string>("SELECT message_type FROM outbox WHERE tenant_id = $1", id))
            .ShouldBe("Msp.Contracts.Tenants.TenantCreated");
        (await factory.Database.ScalarAsync<string>("SELECT payload->>'slug' FROM outbox WHERE tenant_id = $1", id)).ShouldBe(slug);
    }

    [Fact]
    public async Task Create_RelaysTheEventAndMarksItPublished()
    {
        var id = await factory.CreateTenantAsync(client);

        await Msp.Testing.Eventually.HoldsAsync(
            async () => await factory.Database.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE tenant_id = $1 AND published_at IS NOT NULL", id) == 1,
            TimeSpan.FromSeconds(10), "the relay marks the outbox row published");
    }

    public static TheoryData<string, string, string> InvalidBodies => new()
    {
        { """{"slug":"okslug1","timeZone":"Europe/Paris","country":"FR"}""", "name", "missing name" },
        { """{"name":"   ","slug":"okslug2","timeZone":"Europe/Paris","country":"FR"}""", "name", "blank name" },
        { $$"""{"name":"{{new string('n', 201)}}","slug":"okslug3","timeZone":"Europe/Paris","country":"FR"}""", "name", "overlong name" },
        { """{"name":"Acme","slug":"Not A Slug","timeZone":"Europe/Paris","country":"FR"}""", "slug", "bad slug" },
        { """{"name":"Acme","slug":"okslug4","timeZone":"Mars/Olympus","country":"FR"}""", "timeZone", "unknown time zone" },
        { """{"name":"Acme","slug":"okslug5","timeZone":"Europe/Paris","country":"XX"}""", "country", "unknown country" },
        { """{"name":"Acme","slug":"okslug6","timeZone":"Europe/Paris","country":"FR","primaryContact":{"name":"A","email":"nope"}}""", "primaryContact.email", "bad contact email" },
        { """{"name":42,"slug":"okslug7","timeZone":"Europe/Paris","country":"FR"}""", "name", "name of the wrong JSON type" },
        { """{"name":"Acme","slug":"okslug8",""", "body", "truncated JSON" },
        { "", "body", "no body" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Create_WithBadInput_AnswersProblemNamingTheFieldAndWritesNothing(string json, string field, string why)
    {
        var before = await factory.Database.ScalarAsync<long>("SELECT count(*) FROM tenants");

        var response = await client.PostAsync("/api/tenants", new StringContent(json, Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, why);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("status").GetInt32().ShouldBe(400);
        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue($"{why}: errors should name '{field}': {problem}");
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM tenants")).ShouldBe(before);
    }

    [Fact]
    public async Task Create_WithATakenSlug_AnswersConflictNamingSlugAndWritesNothing()
    {
        var slug = TenantsFactory.UniqueSlug();
        await factory.CreateTenantAsync(client, slug);

        var response = await client.PostAsJsonAsync("/api/tenants", TenantsFactory.NewTenant(slug));

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").GetProperty("slug")[0].GetString()!.ShouldContain(slug);
        (await factory.CountAsync("tenants", slug)).ShouldBe(1);
        (await factory.CountAsync("outbox", slug)).ShouldBe(1);
    }

    [Fact]
    public async Task Create_ConcurrentlyWithTheSameSlug_CreatesOneAndRefusesTheRestWithConflict()
    {
        var slug = TenantsFactory.UniqueSlug();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.PostAsJsonAsync("/api/tenants", TenantsFactory.NewTenant(slug))));

        responses.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.Conflict).ShouldBe(7);
        (await factory.CountAsync("tenants", slug)).ShouldBe(1);
        (await factory.CountAsync("outbox", slug)).ShouldBe(1);
    }

    [Fact]
    public async Task Create_WithABodyOverTheLimit_AnswersPayloadTooLarge()
    {
        var json = $$"""{"name":"{{new string('x', 2 * 1024 * 1024)}}"}""";

        var response = await client.PostAsync("/api/tenants", new StringContent(json, Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").TryGetProperty("body", out _).ShouldBeTrue();
    }
}
