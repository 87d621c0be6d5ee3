using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Testing;

namespace Msp.Slas.Tests.Features.Clocks;

/// <summary>The clocks kept from ticket events as Tickets publishes them, read through the API. Events carry instants
/// in the past, so each case plays out a ticket's history at once.</summary>
[Collection(nameof(SlasApiCollection))]
public sealed class TicketClocksTests(SlasFactory factory)
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task WaitingOnTheCustomer_IsExcluded_AndTheLedgerShowsIt()
    {
        var tenant = (await factory.TenantAsync()).Id;
        await factory.PolicyForAsync(tenant, responseMinutes: 600, resolutionMinutes: 600);
        var ticket = Guid.CreateVersion7();
        var start = DateTimeOffset.UtcNow.AddMinutes(-180);

        await factory.DeliverAsync(SlasFactory.Created(tenant, ticket, start));
        await factory.DeliverAsync(SlasFactory.Status(tenant, ticket, 2, start.AddMinutes(30), "New", "WaitingOnCustomer"));
        await factory.DeliverAsync(SlasFactory.Status(tenant, ticket, 3, start.AddMinutes(120), "WaitingOnCustomer", "InProgress"));

        var resolution = SlasFactory.Clock(await factory.ClocksAsync(ticket), "Resolution");
        resolution.GetProperty("state").GetString().ShouldBe("Running");
        resolution.GetProperty("elapsedMinutes").GetDouble().ShouldBe(90, tolerance: 1, "180 minutes less the 90 waiting on the customer");
        resolution.GetProperty("dueAt").GetDateTimeOffset().ShouldBe(start.AddMinutes(600 + 90), TimeSpan.FromSeconds(1));
        var ledger = resolution.GetProperty("ledger").EnumerateArray().ToList();
        ledger.Select(l => l.GetProperty("event").GetString()).ShouldBe(["Started", "Paused", "Resumed"]);
        ledger[1].GetProperty("elapsedMinutes").GetDouble().ShouldBe(30);
        ledger[2].GetProperty("detail").GetString()!.ShouldContain("the 90 business minutes paused are not counted");
        ledger[2].GetProperty("remainingMinutes").GetDouble().ShouldBe(570);
    }

    [Fact]
    public async Task ACalendarThatFollowsTheClient_CountsItsHoursInEachClientsOwnTimeZone()
    {
        var calendar = await SlasFactory.CalendarAsync(factory.Operator(), new
        {
            name = "Office hours, the client's zone " + Guid.NewGuid().ToString("N")[..8],
            timeZone = "client",
            hours = new[] { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday" }.Select(day => new { day, start = "09:00", end = "17:00" }),
        });
        var paris = (await factory.TenantAsync()).Id;
        var tokyo = (await factory.TenantAsync()).Id;
        await factory.Database.ScalarAsync<int>("UPDATE known_tenants SET time_zone = 'Asia/Tokyo' WHERE id = $1 RETURNING 1", tokyo);
        await factory.PolicyForAsync(paris, responseMinutes: 60, resolutionMinutes: 480, aroundTheClock: false, calendarId: calendar);
        await factory.PolicyForAsync(tokyo, responseMinutes: 60, resolutionMinutes: 480, aroundTheClock: false, calendarId: calendar);
        var opened = new DateTimeOffset(2026, 11, 16, 7, 30, 0, TimeSpan.Zero); // a Monday: 08:30 in Paris, 16:30 in Tokyo
        var (inParis, inTokyo) = (Guid.CreateVersion7(), Guid.CreateVersion7());

        await factory.DeliverAsync(SlasFactory.Created(paris, inParis, opened));
        await factory.DeliverAsync(SlasFactory.Created(tokyo, inTokyo, opened));

        // Paris opens at 09:00 local (08:00 UTC): the hour's answer is due at 10:00 local. Counted in UTC it was 10:00 UTC.
        SlasFactory.Clock(await factory.ClocksAsync(inParis), "FirstResponse").GetProperty("dueAt").GetDateTimeOffset()
            .ShouldBe(new DateTimeOffset(2026, 11, 16, 9, 0, 0, TimeSpan.Zero));
        // Tokyo has 30 minutes left on Monday and the other 30 on Tuesday from 09:00 local (00:00 UTC).
        SlasFactory.Clock(await factory.ClocksAsync(inTokyo), "FirstResponse").GetProperty("dueAt").GetDateTimeOffset()
            .ShouldBe(new DateTimeOffset(2026, 11, 17, 0, 30, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task TheSeededOfficeHours_FollowTheClient()
    {
        var calendar = await factory.Operator().GetFromJsonAsync<JsonElement>("/api/slas/calendars/01930000-0000-7000-8000-00000000ca1e");

        calendar.GetProperty("timeZone").GetString().ShouldBe("client");
    }

    [Fact]
    public async Task APriorityChange_KeepsTheElapsedTime_AndMovesTheDeadline()
    {
        var tenant = (await factory.TenantAsync()).Id;
        var calendar = await SlasFactory.CalendarAsync(factory.Operator(), new { name = "24x7 " + tenant, timeZone = "UTC", alwaysOpen = true });
        await factory.PolicyForAsync(tenant, new
        {
            name = "Tiered " + tenant,
            calendarId = calendar,
            targets = new[]
            {
                new { priority = "P1", firstResponseMinutes = 10, resolutionMinutes = 30, aroundTheClock = true },
                new { priority = "P2", firstResponseMinutes = 30, resolutionMinutes = 120, aroundTheClock = false },
                new { priority = "P3", firstResponseMinutes = 240, resolutionMinutes = 480, aroundTheClock = false },
                new { priority = "P4", firstResponseMinutes = 480, resolutionMinutes = 960, aroundTheClock = false },
            },
        });
        var ticket = Guid.CreateVersion7();
        var start = DateTimeOffset.UtcNow.AddMinutes(-60);

        await factory.DeliverAsync(SlasFactory.Created(tenant, ticket, start, "P3"));
        await factory.DeliverAsync(SlasFactory.Priority(tenant, ticket, 2, start.AddMinutes(40), "P3", "P2"));

        var clocks = await factory.ClocksAsync(ticket);
        var resolution = SlasFactory.Clock(clocks, "Resolution");
        resolution.GetProperty("targetMinutes").GetInt32().ShouldBe(120);
        resolution.GetProperty("dueAt").GetDateTimeOffset().ShouldBe(start.AddMinutes(120), TimeSpan.FromSeconds(1));
        var retarget = resolution.GetProperty("ledger").EnumerateArray().Single(l => l.GetProperty("event").GetString() == "Retargeted");
        retarget.GetProperty("elapsedMinutes").GetDouble().ShouldBe(40);
        retarget.GetProperty("detail").GetString()!.ShouldContain("P3 → P2");

        // The response target of P2 (30) is already behind the 40 minutes elapsed: breached at once, published once.
        var response = SlasFactory.Clock(clocks, "FirstResponse");
        response.GetProperty("dueAt").GetDateTimeOffset().ShouldBe(start.AddMinutes(40), TimeSpan.FromSeconds(1));
        await Eventually.HoldsAsync(async () => await factory.EventsAsync("SlaBreached", ticket, "FirstResponse") == 1, Delivery, "the breach is published");
    }

    [Fact]
    public async Task EventsOutOfOrderAndTwice_LeaveTheClocksAsInOrder()
    {
        var tenant = (await factory.TenantAsync()).Id;
        await factory.PolicyForAsync(tenant, responseMinutes: 600, resolutionMinutes: 600);
        var start = DateTimeOffset.UtcNow.AddMinutes(-100);
        var inOrder = Guid.CreateVersion7();
        var shuffled = Guid.CreateVersion7();

        foreach (var ticket in new[] { inOrder, shuffled })
        {
            var created = SlasFactory.Created(tenant, ticket, start);
            var paused = SlasFactory.Status(tenant, ticket, 2, start.AddMinutes(10), "New", "WaitingOnCustomer");
            var resumed = SlasFactory.Status(tenant, ticket, 3, start.AddMinutes(50), "WaitingOnCustomer", "Open");
            var replied = SlasFactory.Replied(tenant, ticket, 4, start.AddMinutes(60));
            if (ticket == inOrder)
            {
                await factory.DeliverAsync(created);
                await factory.DeliverAsync(paused);
                await factory.DeliverAsync(resumed);
                await factory.DeliverAsync(replied);
            }
            else
            {
                await factory.DeliverAsync(replied);
                await factory.DeliverAsync(resumed);
                await factory.DeliverAsync(created);
                await factory.DeliverAsync(resumed with { EventId = Msp.Contracts.EventIds.New() }); // the same change, told again
                await factory.Bus.Publish(paused);
                await factory.Bus.Publish(paused); // redelivered
                await Eventually.HoldsAsync(() => Task.FromResult(factory.Consumed.Of(paused.EventId) >= 2), Delivery, "both deliveries are consumed");
            }
        }

        var expected = await factory.ClocksAsync(inOrder);
        var actual = await factory.ClocksAsync(shuffled);
        foreach (var kind in new[] { "FirstResponse", "Resolution" })
        {
            var (want, got) = (SlasFactory.Clock(expected, kind), SlasFactory.Clock(actual, kind));
            got.GetProperty("state").GetString().ShouldBe(want.GetProperty("state").GetString());
            got.GetProperty("ledger").GetArrayLength().ShouldBe(want.GetProperty("ledger").GetArrayLength());
            got.GetProperty("dueAt").ToString().ShouldBe(want.GetProperty("dueAt").ToString());
        }

        SlasFactory.Clock(actual, "FirstResponse").GetProperty("state").GetString().ShouldBe("Met");
        SlasFactory.Clock(actual, "FirstResponse").GetProperty("elapsedMinutes").GetDouble().ShouldBe(20);
        (await factory.EventsAsync("SlaMet", shuffled)).ShouldBe(1);
    }

    [Fact]
    public async Task ADeadlinePassedBeforeTheEventArrived_IsBreachedOnce_WithWarningFirst()
    {
        var tenant = (await factory.TenantAsync()).Id;
        await factory.PolicyForAsync(tenant, responseMinutes: 30, resolutionMinutes: 600);
        var ticket = Guid.CreateVersion7();
        var start = DateTimeOffset.UtcNow.AddMinutes(-45);

        await factory.DeliverAsync(SlasFactory.Created(tenant, ticket, start));
        await Eventually.HoldsAsync(async () => await factory.EventsAsync("SlaBreached", ticket) == 1, Delivery, "the breach is published");
        await factory.DeliverAsync(SlasFactory.Status(tenant, ticket, 2, start.AddMinutes(44), "New", "InProgress"));
        await factory.DeliverAsync(SlasFactory.Replied(tenant, ticket, 3, start.AddMinutes(45)));

        (await factory.EventsAsync("SlaWarning", ticket, "FirstResponse")).ShouldBe(1);
        (await factory.EventsAsync("SlaBreached", ticket, "FirstResponse")).ShouldBe(1);
        (await factory.EventsAsync("SlaBreached", ticket, "Resolution")).ShouldBe(0);
        (await factory.EventsAsync("SlaMet", ticket)).ShouldBe(0, "a late reply does not meet the target");
        var response = SlasFactory.Clock(await factory.ClocksAsync(ticket), "FirstResponse");
        response.GetProperty("state").GetString().ShouldBe("Breached");
        response.GetProperty("breachedAt").ValueKind.ShouldNotBe(System.Text.Json.JsonValueKind.Null);
        response.GetProperty("ledger").EnumerateArray().Select(l => l.GetProperty("event").GetString())
            .ShouldBe(["Started", "Warning", "Breached", "Stopped"]);
    }

    [Fact]
    public async Task EveryChangeOfTheDeadline_IsAnnouncedToTickets_WithAGrowingRevision()
    {
        var tenant = (await factory.TenantAsync()).Id;
        await factory.PolicyForAsync(tenant, responseMinutes: 60, resolutionMinutes: 600);
        var ticket = Guid.CreateVersion7();
        var start = DateTimeOffset.UtcNow.AddMinutes(-5);

        await factory.DeliverAsync(SlasFactory.Created(tenant, ticket, start));
        await factory.DeliverAsync(SlasFactory.Status(tenant, ticket, 2, start.AddMinutes(1), "New", "WaitingOnCustomer"));

        var announced = await factory.Database.ScalarAsync<string>("""
            SELECT string_agg((payload->>'revision') || ':' || coalesce(payload->>'dueAt', 'none'), ',' ORDER BY (payload->>'revision')::int)
            FROM outbox WHERE message_type LIKE '%.SlaClockChanged' AND payload->>'ticketId' = $1
            """, ticket.ToString());
        var revisions = announced.Split(',');
        revisions.Length.ShouldBe(2);
        revisions[0].ShouldStartWith("1:");
        revisions[0].ShouldNotEndWith("none");
        revisions[1].ShouldBe("2:none", "both clocks are paused");
    }

    [Fact]
    public async Task AnUnknownTicket_IsNotFound() =>
        (await factory.Operator().GetAsync($"/api/slas/tickets/{Guid.CreateVersion7()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
}
