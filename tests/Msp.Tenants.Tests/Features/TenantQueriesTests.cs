using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Msp.Tenants.Tests.Features;

[Collection(nameof(TenantsCollection))]
public sealed class TenantQueriesTests(TenantsFactory factory)
{
    private readonly HttpClient client = factory.Admin;

    [Fact]
    public async Task Get_ReturnsTheTenant()
    {
        var id = await factory.CreateTenantAsync(client);

        var tenant = await client.GetFromJsonAsync<JsonElement>($"/api/tenants/{id}");

        tenant.GetProperty("id").GetGuid().ShouldBe(id);
        tenant.GetProperty("timeZone").GetString().ShouldBe("Europe/Paris");
    }

    [Fact]
    public async Task Get_UnknownId_AnswersNotFoundProblem()
    {
        var response = await client.GetAsync($"/api/tenants/{Guid.CreateVersion7()}");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task List_PagesThroughEveryMatchingTenantOnceInNameOrder()
    {
        var marker = "Paged " + Guid.NewGuid().ToString("N")[..8];
        var created = new List<Guid>();
        foreach (var i in Enumerable.Range(0, 7))
        {
            var body = new { name = $"{marker} {i % 3}", slug = TenantsFactory.UniqueSlug(), timeZone = "UTC", country = "DE" };
            var response = await client.PostAsJsonAsync("/api/tenants", body);
            created.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        }

        var seen = new List<(string Name, Guid Id)>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var url = $"/api/tenants?limit=3&q={Uri.EscapeDataString(marker)}" + (cursor is null ? "" : $"&cursor={cursor}");
            var page = await client.GetFromJsonAsync<JsonElement>(url);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(t => (t.GetProperty("name").GetString()!, t.GetProperty("id").GetGuid())));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        pages.ShouldBe(3);
        seen.Select(s => s.Id).ShouldBe(created, ignoreOrder: true);
        seen.ShouldBe(seen.OrderBy(s => s.Name, StringComparer.Ordinal).ThenBy(s => s.Id).ToList());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    public async Task List_WithBadPaging_AnswersProblemNamingTheField(string query, string field)
    {
        var response = await client.GetAsync($"/api/tenants?{query}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }
}
