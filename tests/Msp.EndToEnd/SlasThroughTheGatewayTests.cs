using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Testing;
using Xunit.Abstractions;

namespace Msp.EndToEnd;

/// <summary>SLA clocks on tickets opened through the gateway, with a policy whose P2 first response is due after one
/// minute around the clock. The timing assertions are the acceptance's own: each warning and breach is published
/// within one second of its instant. "Published" is when the outbox relay handed the event to RabbitMQ.</summary>
[Collection(nameof(PlatformCollection))]
public sealed class SlasThroughTheGatewayTests(Platform platform, ITestOutputHelper output)
{
    private static readonly TimeSpan OnTime = TimeSpan.FromSeconds(1);

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        response.StatusCode.ShouldBe(status, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>A tenant on a 24x7 policy whose P2 first response is due after one minute, a client of it signed in,
    /// and a P2 ticket they opened, once Slas started its clocks.</summary>
    private async Task<(Guid Tenant, Guid Ticket, HttpClient Client, DateTimeOffset ResponseDue)> OneMinuteTicketAsync()
    {
        var (tenant, _) = await platform.CreateTenantAsync();
        var calendar = await OkAsync(await platform.Gateway.PostAsJsonAsync("/api/slas/calendars",
            new { name = "24x7 " + tenant, timeZone = "UTC", alwaysOpen = true }), HttpStatusCode.Created);
        var policy = await OkAsync(await platform.Gateway.PostAsJsonAsync("/api/slas/policies", new
        {
            name = "One minute " + tenant,
            calendarId = calendar.GetProperty("id").GetGuid(),
            targets = new[] { "P1", "P2", "P3", "P4" }.Select(priority => new
            {
                priority, firstResponseMinutes = priority == "P2" ? 1 : 600, resolutionMinutes = 600, aroundTheClock = true,
            }),
        }), HttpStatusCode.Created);
        await OkAsync(await platform.Gateway.PutAsJsonAsync($"/api/slas/tenants/{tenant}", new { policyId = policy.GetProperty("id").GetGuid() }));
        var (_, client) = await platform.SignedInUserAsync("ClientAdmin", tenant);
        var ticket = await OkAsync(await client.PostAsJsonAsync("/api/tickets",
            new { subject = "The VPN drops every ten minutes", description = "Since the router was replaced.", impact = "Medium", urgency = "High" }),
            HttpStatusCode.Created);
        ticket.GetProperty("priority").GetString().ShouldBe("P2");
        var id = ticket.GetProperty("id").GetGuid();
        JsonElement clocks = default;
        await Eventually.HoldsAsync(async () =>
        {
            var response = await client.GetAsync($"/api/slas/tickets/{id}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }

            clocks = await response.Content.ReadFromJsonAsync<JsonElement>();
            return true;
        }, TimeSpan.FromSeconds(10), "Slas starts the ticket's clocks");
        var due = Clock(clocks, "FirstResponse").GetProperty("dueAt").GetDateTimeOffset();
        due.ShouldBe(ticket.GetProperty("createdAt").GetDateTimeOffset().AddMinutes(1), TimeSpan.FromMilliseconds(1));
        return (tenant, id, client, due);
    }

    private static JsonElement Clock(JsonElement clocks, string kind) =>
        clocks.GetProperty("clocks").EnumerateArray().Single(c => c.GetProperty("kind").GetString() == kind);

    /// <summary>The published SLA events of one type for the ticket: when each was due and when it was published.</summary>
    private async Task<List<(DateTimeOffset Due, DateTimeOffset Published)>> PublishedAsync(string type, Guid ticket)
    {
        var field = type == "SlaWarning" ? "reachedAt" : "dueAt";
        var rows = await platform.Databases["slas"].ScalarAsync<string>("""
            SELECT coalesce(json_agg(json_build_object('due', payload->>$3, 'published', published_at)), '[]')::text
            FROM outbox WHERE message_type LIKE '%.' || $1 AND payload->>'ticketId' = $2 AND published_at IS NOT NULL
            """, type, ticket.ToString(), field);
        return [.. JsonDocument.Parse(rows).RootElement.EnumerateArray()
            .Select(r => (r.GetProperty("due").GetDateTimeOffset(), r.GetProperty("published").GetDateTimeOffset()))];
    }

    [Fact]
    public async Task ATicketLeftAlone_GetsOneWarningAndOneBreach_EachWithinASecondOfItsInstant()
    {
        var (_, ticket, client, due) = await OneMinuteTicketAsync();

        await Eventually.HoldsAsync(async () => (await PublishedAsync("SlaBreached", ticket)).Count > 0,
            due - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(15), "the breach is published");
        await Task.Delay(TimeSpan.FromSeconds(3)); // anything published twice would be by now

        var warnings = await PublishedAsync("SlaWarning", ticket);
        var breaches = await PublishedAsync("SlaBreached", ticket);
        warnings.Count.ShouldBe(1);
        breaches.Count.ShouldBe(1);
        output.WriteLine($"warning: due {warnings[0].Due:O}, published {warnings[0].Published:O}");
        output.WriteLine($"breach:  due {breaches[0].Due:O}, published {breaches[0].Published:O}");
        warnings[0].Due.ShouldBe(due.AddSeconds(-15), TimeSpan.FromMilliseconds(1), "75 % of one minute");
        breaches[0].Due.ShouldBe(due, TimeSpan.FromMilliseconds(1));
        foreach (var (instant, published) in warnings.Concat(breaches))
        {
            published.ShouldBeGreaterThanOrEqualTo(instant);
            (published - instant).ShouldBeLessThanOrEqualTo(OnTime);
        }

        // Staff read the ledger; the client admin gets the client shape, where each clock stands and when it is due.
        var clocks = await OkAsync(await platform.Gateway.GetAsync($"/api/slas/tickets/{ticket}"));
        var seenByClient = Clock(await OkAsync(await client.GetAsync($"/api/slas/tickets/{ticket}")), "FirstResponse");
        seenByClient.GetProperty("state").GetString().ShouldBe("Breached");
        seenByClient.TryGetProperty("ledger", out _).ShouldBeFalse();
        var response = Clock(clocks, "FirstResponse");
        response.GetProperty("state").GetString().ShouldBe("Breached");
        response.GetProperty("remainingMinutes").GetDouble().ShouldBe(0);
        response.GetProperty("ledger").EnumerateArray().Select(l => l.GetProperty("event").GetString()).ShouldBe(["Started", "Warning", "Breached"]);
        Clock(clocks, "Resolution").GetProperty("state").GetString().ShouldBe("Running");
    }

    [Fact]
    public async Task APauseWaitingOnTheCustomer_IsExcluded_AndAPriorityChangeKeepsTheElapsedTime()
    {
        var (tenant, ticket, _, _) = await OneMinuteTicketAsync();
        var (_, technician) = await platform.SignedInUserAsync("Technician", null, tenant);

        await OkAsync(await technician.PostAsJsonAsync($"/api/tickets/{ticket}/status", new { status = "WaitingOnCustomer" }));
        await Task.Delay(TimeSpan.FromSeconds(3));
        await OkAsync(await technician.PostAsJsonAsync($"/api/tickets/{ticket}/status", new { status = "InProgress" }));
        await OkAsync(await technician.PatchAsJsonAsync($"/api/tickets/{ticket}", new { priority = "P3", priorityReason = "Only one user affected." }));

        JsonElement resolution = default;
        await Eventually.HoldsAsync(async () =>
        {
            resolution = Clock(await OkAsync(await technician.GetAsync($"/api/slas/tickets/{ticket}")), "Resolution");
            return resolution.GetProperty("ledger").GetArrayLength() == 4;
        }, TimeSpan.FromSeconds(10), "Slas applies the pause, the resumption and the priority change");

        var ledger = resolution.GetProperty("ledger").EnumerateArray().ToList();
        ledger.Select(l => l.GetProperty("event").GetString()).ShouldBe(["Started", "Paused", "Resumed", "Retargeted"]);
        var paused = ledger[2].GetProperty("at").GetDateTimeOffset() - ledger[1].GetProperty("at").GetDateTimeOffset();
        paused.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(3));
        ledger[2].GetProperty("elapsedMinutes").GetDouble().ShouldBe(ledger[1].GetProperty("elapsedMinutes").GetDouble(), "nothing counts while paused");
        ledger[3].GetProperty("priority").GetString().ShouldBe("P3");
        ledger[3].GetProperty("elapsedMinutes").GetDouble().ShouldBeGreaterThanOrEqualTo(ledger[2].GetProperty("elapsedMinutes").GetDouble());
        var elapsed = resolution.GetProperty("elapsedMinutes").GetDouble();
        var sinceOpened = (DateTimeOffset.UtcNow - ledger[0].GetProperty("at").GetDateTimeOffset()).TotalMinutes;
        elapsed.ShouldBeLessThanOrEqualTo(sinceOpened - paused.TotalMinutes + 0.01, "the pause is not counted");
    }

    [Fact]
    public async Task ADeadlinePassedWhileSlasWasDown_IsBreachedOnce_RightAfterStart()
    {
        var (_, ticket, client, due) = await OneMinuteTicketAsync();

        await platform.StopAsync("slas");
        try
        {
            var wait = due - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2);
            output.WriteLine($"Slas is down across {due:O}; waiting {wait}");
            await Task.Delay(wait);
        }
        finally
        {
            await platform.RestartAsync("slas");
        }

        var ready = DateTimeOffset.UtcNow;
        await Eventually.HoldsAsync(async () => (await PublishedAsync("SlaBreached", ticket)).Count > 0, TimeSpan.FromSeconds(10), "the breach is published");
        await Task.Delay(TimeSpan.FromSeconds(3));

        var breaches = await PublishedAsync("SlaBreached", ticket);
        breaches.Count.ShouldBe(1);
        (await PublishedAsync("SlaWarning", ticket)).Count.ShouldBe(1);
        output.WriteLine($"breach: due {breaches[0].Due:O}, published {breaches[0].Published:O}, service ready {ready:O}");
        breaches[0].Due.ShouldBe(due, TimeSpan.FromMilliseconds(1));
        // "Right after start": the sweep finds it as the service comes up (measured: under a second after it reports
        // ready), not at the next ticket event. No bound on how soon: a loaded two-core machine made 3 s flaky (3.9 s
        // seen in CI beside another suite); the ten seconds above are a time-out, not a speed figure.
        breaches[0].Published.ShouldBeGreaterThan(due, "published after the deadline it reports");
        Clock(await OkAsync(await client.GetAsync($"/api/slas/tickets/{ticket}")), "FirstResponse").GetProperty("state").GetString().ShouldBe("Breached");
    }
}
