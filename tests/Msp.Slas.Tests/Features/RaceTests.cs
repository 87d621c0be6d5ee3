using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Msp.Testing;
using Msp.Testing.Races;
using Xunit.Abstractions;

namespace Msp.Slas.Tests.Features;

/// <summary>The race suite over the Slas service's write endpoints (see <see cref="RaceContract"/>).</summary>
[Collection(nameof(SlasApiCollection))]
public sealed class RaceTests(SlasFactory factory, ITestOutputHelper output) : RaceContract(output)
{
    private static readonly Guid SeededCalendar = Guid.Parse("01930000-0000-7000-8000-00000000ca1e");

    private Func<Task<long>> Count(string sql, params object[] parameters) => () => factory.Database.ScalarAsync<long>(sql, parameters);

    protected override Task<JsonNode> DocumentAsync() => factory.CreateClient().GetFromJsonAsync<JsonNode>("/openapi/v1.json")!;

    protected override Task<HttpClient> StaffAsync() => Task.FromResult(factory.Operator());

    private static object Calendar(string name) => new { name, timeZone = "UTC", alwaysOpen = true };

    private static object Policy(string name) => new
    {
        name, calendarId = SeededCalendar,
        targets = new[] { "P1", "P2", "P3", "P4" }.Select(priority => new { priority, firstResponseMinutes = 60, resolutionMinutes = 240, aroundTheClock = false }),
    };

    private async Task<(Guid Id, string ETag)> CreatedAsync(string url, object body)
    {
        var created = await factory.Operator().PostAsJsonAsync(url, body);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return (id, (await factory.Operator().GetAsync($"{url}/{id}")).Headers.ETag!.Tag);
    }

    protected override IEnumerable<Race> Races()
    {
        var calendar = "Race " + Guid.NewGuid().ToString("N")[..8];
        yield return Race.Once("POST /api/slas/calendars", "one calendar per name", () => Task.FromResult(new RaceSetup(factory.Operator(),
            Json(HttpMethod.Post, "/api/slas/calendars", Calendar(calendar)), Count("SELECT count(*) FROM sla_calendars WHERE name = $1", calendar))));
        yield return Race.Once("PUT /api/slas/calendars/{id}", "the same replacement of the same version", async () =>
        {
            var (id, etag) = await CreatedAsync("/api/slas/calendars", Calendar("Race " + Guid.NewGuid().ToString("N")[..8]));
            var renamed = "Race " + Guid.NewGuid().ToString("N")[..8];
            return new(factory.Operator(), Json(HttpMethod.Put, $"/api/slas/calendars/{id}", Calendar(renamed), ifMatch: etag),
                Count("SELECT count(*) FROM sla_calendars WHERE name = $1", renamed));
        }, losers: [409, 412]);
        yield return Race.Once("DELETE /api/slas/calendars/{id}", "deleted once; then it is not found", async () =>
        {
            var (id, _) = await CreatedAsync("/api/slas/calendars", Calendar("Race " + Guid.NewGuid().ToString("N")[..8]));
            return new(factory.Operator(), Json(HttpMethod.Delete, $"/api/slas/calendars/{id}"), Count("SELECT 1 - count(*) FROM sla_calendars WHERE id = $1", id));
        }, losers: [404, 409]);
        var policy = "Race " + Guid.NewGuid().ToString("N")[..8];
        yield return Race.Once("POST /api/slas/policies", "one policy per name, announced once", () => Task.FromResult(new RaceSetup(factory.Operator(),
            Json(HttpMethod.Post, "/api/slas/policies", Policy(policy)),
            Count("SELECT count(*) FROM outbox WHERE message_type LIKE '%SlaPolicyCreated' AND payload->>'name' = $1", policy))));
        yield return Race.Once("PUT /api/slas/policies/{id}", "the same replacement of the same version, announced once", async () =>
        {
            var (id, etag) = await CreatedAsync("/api/slas/policies", Policy("Race " + Guid.NewGuid().ToString("N")[..8]));
            return new(factory.Operator(), Json(HttpMethod.Put, $"/api/slas/policies/{id}", Policy("Race " + Guid.NewGuid().ToString("N")[..8]), ifMatch: etag),
                Count("SELECT count(*) FROM outbox WHERE message_type LIKE '%SlaPolicyChanged' AND payload->>'policyId' = $1", id.ToString()));
        }, losers: [409, 412]);
        yield return Race.Once("DELETE /api/slas/policies/{id}", "deleted and announced once; then it is not found", async () =>
        {
            var (id, _) = await CreatedAsync("/api/slas/policies", Policy("Race " + Guid.NewGuid().ToString("N")[..8]));
            return new(factory.Operator(), Json(HttpMethod.Delete, $"/api/slas/policies/{id}"),
                Count("SELECT count(*) FROM outbox WHERE message_type LIKE '%SlaPolicyDeleted' AND payload->>'policyId' = $1", id.ToString()));
        }, losers: [404, 409]);
        yield return Race.Idempotent("PUT /api/slas/tenants/{tenantId}", "a tenant without settings gets them once (issue 24: the losers answered 500)", async () =>
        {
            var (tenant, _) = await factory.TenantAsync();
            return new(factory.Operator(), Json(HttpMethod.Put, $"/api/slas/tenants/{tenant}", new { calendarId = SeededCalendar }),
                Count("SELECT count(*) FROM tenant_sla_settings WHERE tenant_id = $1 AND calendar_id = $2", tenant, SeededCalendar));
        });
    }
}
