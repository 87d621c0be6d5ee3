using System.Net.Http.Json;
using System.Text.Json;
using Msp.Contracts;
using Msp.Contracts.Tickets;
using Msp.Data;
using Msp.KnownParties;
using Msp.ServiceDefaults.Identity;
using Msp.Testing;

namespace Msp.Slas.Tests;

/// <summary>The Slas service in-process, with helpers to feed it ticket events as Tickets publishes them.</summary>
public sealed class SlasFactory : ServiceFactory<Program>
{
    /// <summary>An Operator's client, for calendars and policies.</summary>
    public HttpClient Operator() => ClientFor(Caller.Staff(MspRoles.Operator));

    /// <summary>Publishes the event on the bus and waits until the service consumed it.</summary>
    public async Task DeliverAsync<T>(T message) where T : class, IIntegrationEvent
    {
        await Bus.Publish(message);
        await Eventually.HoldsAsync(() => Task.FromResult(Consumed.Of(message.EventId) >= 1), TimeSpan.FromSeconds(15), $"{typeof(T).Name} is consumed");
    }

    /// <summary>A calendar open around the clock and a policy over it whose targets are those given for every priority
    /// (each around the clock when <paramref name="aroundTheClock"/>), made the tenant's policy.</summary>
    public async Task<Guid> PolicyForAsync(Guid tenantId, int responseMinutes, int resolutionMinutes, bool aroundTheClock = true, Guid? calendarId = null)
    {
        calendarId ??= await CalendarAsync(Operator(), new
        {
            name = "Office " + Guid.NewGuid().ToString("N")[..8],
            timeZone = "Europe/Paris",
            hours = new[] { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday" }.Select(day => new { day, start = "09:00", end = "18:00" }),
        });
        return await PolicyForAsync(tenantId, new
        {
            name = "Policy " + Guid.NewGuid().ToString("N")[..8],
            calendarId,
            targets = new[] { "P1", "P2", "P3", "P4" }.Select(priority => new { priority, firstResponseMinutes = responseMinutes, resolutionMinutes, aroundTheClock }),
        });
    }

    /// <summary>Creates the policy <paramref name="body"/> describes and makes it the tenant's.</summary>
    public async Task<Guid> PolicyForAsync(Guid tenantId, object body)
    {
        var client = Operator();
        var policy = await client.PostAsJsonAsync("/api/slas/policies", body);
        policy.EnsureSuccessStatusCode();
        var id = (await policy.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await client.PutAsJsonAsync($"/api/slas/tenants/{tenantId}", new { policyId = id })).EnsureSuccessStatusCode();
        return id;
    }

    public static async Task<Guid> CalendarAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/slas/calendars", body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static TicketCreated Created(Guid tenantId, Guid ticketId, DateTimeOffset at, string priority = "P2") => new()
    {
        EventId = EventIds.New(),
        TenantId = tenantId,
        OccurredAt = at,
        TicketId = ticketId,
        Sequence = 1,
        Number = 1,
        Reference = "T-1",
        Priority = priority,
        Status = "New",
        Source = "Portal",
        RequesterId = Guid.CreateVersion7(),
    };

    public static TicketStatusChanged Status(Guid tenantId, Guid ticketId, long sequence, DateTimeOffset at, string from, string to) => new()
    {
        EventId = EventIds.New(),
        TenantId = tenantId,
        OccurredAt = at,
        TicketId = ticketId,
        Sequence = sequence,
        From = from,
        To = to,
    };

    public static TicketPriorityChanged Priority(Guid tenantId, Guid ticketId, long sequence, DateTimeOffset at, string from, string to) => new()
    {
        EventId = EventIds.New(),
        TenantId = tenantId,
        OccurredAt = at,
        TicketId = ticketId,
        Sequence = sequence,
        From = from,
        To = to,
    };

    public static TicketRepliedByStaff Replied(Guid tenantId, Guid ticketId, long sequence, DateTimeOffset at) => new()
    {
        EventId = EventIds.New(),
        TenantId = tenantId,
        OccurredAt = at,
        TicketId = ticketId,
        Sequence = sequence,
        CommentId = Guid.CreateVersion7(),
        AuthorId = Guid.CreateVersion7(),
        IsFirstResponse = true,
    };

    /// <summary>The clocks as the API answers them to staff.</summary>
    public async Task<JsonElement> ClocksAsync(Guid ticketId)
    {
        var response = await Operator().GetAsync($"/api/slas/tickets/{ticketId}");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static JsonElement Clock(JsonElement clocks, string kind) =>
        clocks.GetProperty("clocks").EnumerateArray().Single(c => c.GetProperty("kind").GetString() == kind);

    /// <summary>The SLA events of one type written for a ticket (and clock), as stored in the outbox.</summary>
    public Task<long> EventsAsync(string type, Guid ticketId, string? clock = null) => Database.ScalarAsync<long>(
        "SELECT count(*) FROM outbox WHERE message_type LIKE '%.' || $1 AND payload->>'ticketId' = $2 AND ($3 = '' OR payload->>'clock' = $3)",
        type, ticketId.ToString(), clock ?? "");
}

[CollectionDefinition(nameof(SlasApiCollection))]
public sealed class SlasApiCollection : ICollectionFixture<SlasFactory>;
