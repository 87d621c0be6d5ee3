using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Msp.Slas.Tests.Features.Calendars;

[Collection(nameof(SlasApiCollection))]
public sealed class CalendarsTests(SlasFactory factory)
{
    private static object Office(string? name = null, string timeZone = "Europe/Paris") => new
    {
        name = name ?? "Office " + Guid.NewGuid().ToString("N")[..8],
        timeZone,
        hours = new object[]
        {
            new { day = "Monday", start = "09:00", end = "12:00" },
            new { day = "Monday", start = "13:00", end = "18:00" },
            new { day = "Friday", start = "22:00", end = "06:00" },
        },
        holidays = new[] { new { date = "2026-12-25", name = "Christmas", recurring = true } },
    };

    [Fact]
    public async Task ACalendar_IsCreatedReadAndChanged_WithItsVersion()
    {
        var client = factory.Operator();
        var created = await client.PostAsJsonAsync("/api/slas/calendars", Office());
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var read = await client.GetAsync($"/api/slas/calendars/{id}");
        var body = await read.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("hours").GetArrayLength().ShouldBe(3);
        body.GetProperty("holidays")[0].GetProperty("recurring").GetBoolean().ShouldBeTrue();
        var etag = read.Headers.ETag!.Tag;

        var changed = await client.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/api/slas/calendars/{id}")
        {
            Content = JsonContent.Create(new { name = "Around the clock " + id, timeZone = "UTC", alwaysOpen = true }),
            Headers = { { "If-Match", etag } },
        });
        changed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alwaysOpen").GetBoolean().ShouldBeTrue();

        var stale = await client.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/api/slas/calendars/{id}")
        {
            Content = JsonContent.Create(Office()),
            Headers = { { "If-Match", etag } },
        });
        stale.StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
    }

    public static TheoryData<string, object> BadCalendars => new()
    {
        { "timeZone", new { name = "Bad zone", timeZone = "Mars/Olympus", hours = new[] { new { day = "Monday", start = "09:00", end = "17:00" } } } },
        { "hours", new { name = "No hours", timeZone = "UTC" } },
        { "hours[0].day", new { name = "Bad day", timeZone = "UTC", hours = new[] { new { day = "Caturday", start = "09:00", end = "17:00" } } } },
        { "hours[0].end", new { name = "Bad end", timeZone = "UTC", hours = new[] { new { day = "Monday", start = "09:00", end = "25:00" } } } },
        { "holidays[0].date", new { name = "Bad date", timeZone = "UTC", alwaysOpen = true, holidays = new[] { new { date = "2026-02-30", name = "x", recurring = false } } } },
        { "name", new { timeZone = "UTC", alwaysOpen = true } },
    };

    [Theory]
    [MemberData(nameof(BadCalendars))]
    public async Task ABadCalendar_IsRefused_NamingTheField_AndNothingIsStored(string field, object body)
    {
        var before = await factory.Database.ScalarAsync<long>("SELECT count(*) FROM sla_calendars");

        var response = await factory.Operator().PostAsJsonAsync("/api/slas/calendars", body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(field);
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM sla_calendars")).ShouldBe(before);
    }

    [Fact]
    public async Task ACalendarInUse_CannotBeDeleted_AndAnUnusedOneCan()
    {
        var client = factory.Operator();
        var used = await SlasFactory.CalendarAsync(client, Office());
        var tenant = await factory.TenantAsync();
        await factory.PolicyForAsync(tenant.Id, 60, 240, calendarId: used);
        var unused = await SlasFactory.CalendarAsync(client, Office());

        (await client.DeleteAsync($"/api/slas/calendars/{used}")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await client.DeleteAsync($"/api/slas/calendars/{unused}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await client.GetAsync($"/api/slas/calendars/{unused}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TwoCalendars_CannotShareAName()
    {
        var name = "Shared " + Guid.NewGuid().ToString("N")[..8];
        (await factory.Operator().PostAsJsonAsync("/api/slas/calendars", Office(name))).StatusCode.ShouldBe(HttpStatusCode.Created);

        var second = await factory.Operator().PostAsJsonAsync("/api/slas/calendars", Office(name));

        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("name", out _).ShouldBeTrue();
    }
}
