using System.Net;
using System.Net.Http.Json;
using Msp.Testing;

namespace Msp.Slas.Tests.Features;

/// <summary>The cases of issue 24 found in the Slas service, each answered 4xx with a problem document naming the
/// field, and nothing written.</summary>
[Collection(nameof(SlasApiCollection))]
public sealed class HostileInputTests(SlasFactory factory)
{
    private const string Nul = "Office\u0000hours";

    private Task<long> RowsAsync() => factory.Database.ScalarAsync<long>(
        "SELECT (SELECT count(*) FROM sla_calendars) + (SELECT count(*) FROM sla_policies) + (SELECT count(*) FROM tenant_sla_settings) + (SELECT count(*) FROM outbox)");

    [Fact]
    public async Task ANulInACalendarsOrAPolicysName_OrAHoliday_Answers400NamingTheField_AndWritesNothing()
    {
        var op = factory.Operator();
        var before = await RowsAsync();

        await (await op.PostAsJsonAsync("/api/slas/calendars", new { name = Nul, timeZone = "UTC", alwaysOpen = true }))
            .ShouldNameFieldAsync(HttpStatusCode.BadRequest, "name");
        await (await op.PostAsJsonAsync("/api/slas/calendars", new { name = "Holidays", timeZone = "UTC", alwaysOpen = true,
            holidays = new[] { new { date = "2026-12-25", name = Nul, recurring = true } } })).ShouldNameFieldAsync(HttpStatusCode.BadRequest, "holidays[0].name");
        await (await op.PostAsJsonAsync("/api/slas/policies", new
        {
            name = Nul, calendarId = Guid.Parse("01930000-0000-7000-8000-00000000ca1e"),
            targets = new[] { "P1", "P2", "P3", "P4" }.Select(priority => new { priority, firstResponseMinutes = 1, resolutionMinutes = 2, aroundTheClock = true }),
        })).ShouldNameFieldAsync(HttpStatusCode.BadRequest, "name");

        (await RowsAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task NullHoursOrTargets_Answer400NamingTheElement_NotA500()
    {
        var op = factory.Operator();
        var before = await RowsAsync();

        await (await op.PostAsync("/api/slas/calendars", new StringContent("""{"name":"Null hours","timeZone":"UTC","alwaysOpen":false,"hours":[null]}""",
            System.Text.Encoding.UTF8, "application/json"))).ShouldNameFieldAsync(HttpStatusCode.BadRequest, "hours[0]");
        await (await op.PostAsync("/api/slas/policies", new StringContent(
            """{"name":"Null targets","calendarId":"01930000-0000-7000-8000-00000000ca1e","targets":[null,null,null,null]}""",
            System.Text.Encoding.UTF8, "application/json"))).ShouldNameFieldAsync(HttpStatusCode.BadRequest, "targets[0]");

        (await RowsAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task SettingATenantWithoutSettingsEightTimesAtOnce_SetsItOnce_WithoutA500()
    {
        var (tenant, _) = await factory.TenantAsync();
        var calendar = Guid.Parse("01930000-0000-7000-8000-00000000ca1e");
        using var start = new SemaphoreSlim(0);
        var sending = Enumerable.Range(0, 8).Select(async _ =>
        {
            await start.WaitAsync();
            return await factory.Operator().PutAsJsonAsync($"/api/slas/tenants/{tenant}", new { calendarId = calendar });
        }).ToList();
        start.Release(8);
        var answers = await Task.WhenAll(sending);

        answers.ShouldAllBe(a => a.StatusCode == HttpStatusCode.OK);
        (await factory.Database.ScalarAsync<string>("SELECT count(*) || '/' || min(calendar_id::text) FROM tenant_sla_settings WHERE tenant_id = $1", tenant))
            .ShouldBe($"1/{calendar}");
    }

    [Fact]
    public async Task PoliciesAreAnnounced_WhenCreatedChangedAndDeleted_AndTheSeededOneOnce()
    {
        var op = factory.Operator();
        var body = new
        {
            name = "Announced " + Guid.NewGuid().ToString("N")[..8], calendarId = Guid.Parse("01930000-0000-7000-8000-00000000ca1e"),
            targets = new[] { "P1", "P2", "P3", "P4" }.Select(priority => new { priority, firstResponseMinutes = 1, resolutionMinutes = 2, aroundTheClock = true }),
        };
        var created = await op.PostAsJsonAsync("/api/slas/policies", body);
        var id = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
        (await op.PutAsJsonAsync($"/api/slas/policies/{id}", body with { name = body.name + " renamed" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await op.DeleteAsync($"/api/slas/policies/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await factory.Database.ScalarAsync<string>("""
            SELECT string_agg(substring(message_type from '[A-Za-z]+$') || ':' || coalesce(payload->>'name', ''), ',' ORDER BY occurred_at)
            FROM outbox WHERE payload->>'policyId' = $1
            """, id.ToString())).ShouldBe($"SlaPolicyCreated:{body.name},SlaPolicyChanged:{body.name} renamed,SlaPolicyDeleted:");
        (await factory.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox WHERE message_type = 'Msp.Contracts.Slas.SlaPolicyCreated' AND payload->>'policyId' = '01930000-0000-7000-8000-0000000000d1' AND payload->>'name' = 'Standard'"))
            .ShouldBe(1, "the seeded default policy is announced by the migration");
    }
}
