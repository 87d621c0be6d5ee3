using System.Text.Json.Nodes;
using Msp.Testing;
using Msp.Testing.Fuzzing;
using Xunit.Abstractions;

namespace Msp.Slas.Tests.Features;

/// <summary>The generated fuzz suite over every operation of the Slas service (see <see cref="FuzzContract{TProgram}"/>).</summary>
[Collection(nameof(SlasApiCollection))]
public sealed class FuzzTests(SlasFactory factory, ITestOutputHelper output) : FuzzContract<Program>(factory, output)
{
    private Guid calendar;

    protected override int MinimumOperations => 13;

    protected override async Task<Guid> CreateTenantAsync() => (await factory.TenantAsync()).Id;

    protected override async Task<HttpClient> SignedInAsync(Caller caller) => factory.ClientFor(await factory.UserAsync(caller));

    /// <summary>A calendar and a policy of the tenant's own, and a ticket with its clocks.</summary>
    protected override async Task<IReadOnlyDictionary<string, Guid>> SeedAsync(Guid tenantId, HttpClient client, HttpClient staff)
    {
        calendar = await SlasFactory.CalendarAsync(staff, new { name = "Fuzz " + tenantId, timeZone = "UTC", alwaysOpen = true });
        var policy = await factory.PolicyForAsync(tenantId, 60, 240, calendarId: calendar);
        var ticket = Guid.CreateVersion7();
        await factory.DeliverAsync(SlasFactory.Created(tenantId, ticket, DateTimeOffset.UtcNow.AddMinutes(-5)));
        await Eventually.HoldsAsync(async () => await factory.Database.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0,
            TimeSpan.FromSeconds(15), "the seeded events are published, so that the relay changes nothing during the run");
        return new Dictionary<string, Guid>
        {
            ["/api/slas/calendars"] = calendar,
            ["/api/slas/policies"] = policy,
            ["/api/slas/tenants"] = tenantId,
            ["/api/slas/tickets"] = ticket,
        };
    }

    protected override IReadOnlyDictionary<string, JsonNode?> KnownValues(Guid tenantId, IReadOnlyDictionary<string, Guid> resources) =>
        new Dictionary<string, JsonNode?>
        {
            ["tenantId"] = tenantId.ToString(),
            ["calendarId"] = calendar.ToString(),
            ["policyId"] = resources["/api/slas/policies"].ToString(),
            ["timeZone"] = "Europe/Paris",
            ["period"] = "2024-06",
            ["warningPercent"] = 75,
            ["hours"] = new JsonArray(new JsonObject { ["day"] = "Monday", ["start"] = "09:00", ["end"] = "17:00" }),
            ["holidays"] = new JsonArray(new JsonObject { ["date"] = "2026-12-25", ["name"] = "Christmas", ["recurring"] = true }),
            ["targets"] = new JsonArray([.. new[] { "P1", "P2", "P3", "P4" }.Select(p => (JsonNode)new JsonObject
            {
                ["priority"] = p, ["firstResponseMinutes"] = 60, ["resolutionMinutes"] = 240, ["aroundTheClock"] = false,
            })]),
        };
}
