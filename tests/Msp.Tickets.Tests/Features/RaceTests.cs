using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Msp.Testing;
using Msp.Testing.Races;
using Xunit.Abstractions;

namespace Msp.Tickets.Tests.Features;

/// <summary>The race suite over the Tickets service's write endpoints (see <see cref="RaceContract"/>).</summary>
[Collection(nameof(TicketsApiCollection))]
public sealed class RaceTests(TicketsFactory factory, ITestOutputHelper output) : RaceContract(output)
{
    private static readonly HttpMethod Patch = HttpMethod.Patch;

    /// <summary>A tenant with a client user, a technician serving it, and a ticket the client opened.</summary>
    private async Task<(Guid Tenant, HttpClient Client, HttpClient Technician, Guid Ticket)> TicketAsync()
    {
        var (tenant, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenant));
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenant));
        return (tenant, client, technician, (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid());
    }

    private Func<Task<long>> Count(string sql, params object[] parameters) => () => factory.Database.ScalarAsync<long>(sql, parameters);

    private async Task<HttpClient> OperatorAsync() => factory.ClientFor(await factory.UserAsync(Caller.Staff("Operator")));

    protected override Task<JsonNode> DocumentAsync() => factory.CreateClient().GetFromJsonAsync<JsonNode>("/openapi/v1.json")!;

    protected override async Task<HttpClient> StaffAsync() => factory.ClientFor(await factory.UserAsync(Caller.Staff("Admin")));

    protected override IEnumerable<Race> Races()
    {
        yield return Race.Idempotent("POST /api/tickets", "a retry with the same Idempotency-Key answers the first ticket", async () =>
        {
            var (tenant, client, _, _) = await TicketAsync();
            return new(client, Json(HttpMethod.Post, "/api/tickets", TicketsFactory.NewTicket("Race"), idempotencyKey: "race-" + Guid.NewGuid()),
                Count("SELECT count(*) FROM tickets WHERE tenant_id = $1 AND subject = 'Race'", tenant));
        });
        yield return Race.Once("PATCH /api/tickets/{id}", "the same edit of the same version", async () =>
        {
            var (_, client, _, ticket) = await TicketAsync();
            var etag = (await client.GetAsync($"/api/tickets/{ticket}")).Headers.ETag!.Tag;
            return new(client, Json(Patch, $"/api/tickets/{ticket}", new { subject = "Raced" }, ifMatch: etag),
                Count("SELECT count(*) FROM ticket_history WHERE ticket_id = $1 AND field = 'subject'", ticket));
        }, losers: [412]);
        yield return Race.Once("POST /api/tickets/{id}/status", "one move; the others find it moved (409) or stale (412)", async () =>
        {
            var (_, _, technician, ticket) = await TicketAsync();
            return new(technician, Json(HttpMethod.Post, $"/api/tickets/{ticket}/status", new { status = "InProgress" }),
                Count("SELECT count(*) FROM ticket_history WHERE ticket_id = $1 AND action = 'StatusChanged'", ticket));
        });
        yield return Race.Converges("POST /api/tickets/{id}/assign", "the same queue: assigned once", async () =>
        {
            var (_, _, technician, ticket) = await TicketAsync();
            return new(technician, Json(HttpMethod.Post, $"/api/tickets/{ticket}/assign", new { queueId = "01930000-0000-7000-8000-000000000001" }),
                Count("SELECT count(*) FROM outbox WHERE message_type LIKE '%TicketAssigned' AND payload->>'ticketId' = $1", ticket.ToString()));
        });
        yield return Race.Appends("POST /api/tickets/{id}/comments", "every reply is a new reply", async () =>
        {
            var (_, client, _, ticket) = await TicketAsync();
            return new(client, Json(HttpMethod.Post, $"/api/tickets/{ticket}/comments", new { body = "Still broken." }),
                Count("SELECT count(*) FROM ticket_comments WHERE ticket_id = $1", ticket));
        });
        yield return Race.Appends("POST /api/tickets/{id}/attachments", "every upload is a new file", async () =>
        {
            var (_, client, _, ticket) = await TicketAsync();
            return new(client, () => new HttpRequestMessage(HttpMethod.Post, $"/api/tickets/{ticket}/attachments")
            {
                Content = new MultipartFormDataContent { { new ByteArrayContent("log"u8.ToArray()), "file", "log.txt" } },
            }, Count("SELECT count(*) FROM ticket_attachments WHERE ticket_id = $1", ticket));
        });
        yield return Race.Appends("POST /api/tickets/{id}/time-entries", "every entry is new work", async () =>
        {
            var (_, _, technician, ticket) = await TicketAsync();
            return new(technician, Json(HttpMethod.Post, $"/api/tickets/{ticket}/time-entries", new { minutes = 15, workType = "Remote" }),
                Count("SELECT count(*) FROM time_entries WHERE ticket_id = $1", ticket));
        });
        yield return Race.Converges("PUT /api/tickets/{id}/time-entries/{entryId}", "the same new minutes: changed once", async () =>
        {
            var (_, _, technician, ticket) = await TicketAsync();
            var entry = (await TicketsFactory.ReadAsync(await technician.PostAsJsonAsync($"/api/tickets/{ticket}/time-entries", new { minutes = 15, workType = "Remote" })))
                .GetProperty("id").GetGuid();
            return new(technician, Json(HttpMethod.Put, $"/api/tickets/{ticket}/time-entries/{entry}", new { minutes = 45, workType = "Remote" }),
                Count("SELECT count(*) FROM outbox WHERE message_type LIKE '%TimeEntryChanged' AND payload->>'timeEntryId' = $1", entry.ToString()));
        });
        yield return Race.Once("DELETE /api/tickets/{id}/time-entries/{entryId}", "deleted once; then it is gone (409)", async () =>
        {
            var (_, _, technician, ticket) = await TicketAsync();
            var entry = (await TicketsFactory.ReadAsync(await technician.PostAsJsonAsync($"/api/tickets/{ticket}/time-entries", new { minutes = 15, workType = "Remote" })))
                .GetProperty("id").GetGuid();
            return new(technician, Json(HttpMethod.Delete, $"/api/tickets/{ticket}/time-entries/{entry}"),
                Count("SELECT count(*) FROM outbox WHERE message_type LIKE '%TimeEntryChanged' AND payload->>'timeEntryId' = $1", entry.ToString()));
        });
        yield return Race.Once("POST /api/tickets/{id}/timer", "one timer per ticket and technician", async () =>
        {
            var (_, _, technician, ticket) = await TicketAsync();
            return new(technician, Json(HttpMethod.Post, $"/api/tickets/{ticket}/timer"), Count("SELECT count(*) FROM ticket_timers WHERE ticket_id = $1", ticket));
        });
        yield return Race.Converges("POST /api/tickets/{id}/timer/pause", "paused once", async () =>
        {
            var (_, _, technician, ticket) = await TicketAsync();
            (await technician.PostAsync($"/api/tickets/{ticket}/timer", null)).EnsureSuccessStatusCode();
            return new(technician, Json(HttpMethod.Post, $"/api/tickets/{ticket}/timer/pause"),
                Count("SELECT count(*) FROM ticket_timers WHERE ticket_id = $1 AND running_since IS NULL", ticket));
        });
        yield return Race.Converges("POST /api/tickets/{id}/timer/resume", "resumed once", async () =>
        {
            var (_, _, technician, ticket) = await TicketAsync();
            (await technician.PostAsync($"/api/tickets/{ticket}/timer", null)).EnsureSuccessStatusCode();
            (await technician.PostAsync($"/api/tickets/{ticket}/timer/pause", null)).EnsureSuccessStatusCode();
            return new(technician, Json(HttpMethod.Post, $"/api/tickets/{ticket}/timer/resume"),
                Count("SELECT count(*) FROM ticket_timers WHERE ticket_id = $1 AND running_since IS NOT NULL", ticket));
        });
        yield return Race.Once("DELETE /api/tickets/{id}/timer", "stopped once; then there is none (404)", async () =>
        {
            var (_, _, technician, ticket) = await TicketAsync();
            (await technician.PostAsync($"/api/tickets/{ticket}/timer", null)).EnsureSuccessStatusCode();
            return new(technician, Json(HttpMethod.Delete, $"/api/tickets/{ticket}/timer"),
                Count("SELECT 1 - count(*) FROM ticket_timers WHERE ticket_id = $1", ticket));
        }, losers: [404, 409, 412]);
        yield return Race.Converges("POST /api/tickets/{id}/rating", "the same rating: recorded once", async () =>
        {
            var (_, client, technician, ticket) = await TicketAsync();
            (await technician.PostAsJsonAsync($"/api/tickets/{ticket}/status", new { status = "InProgress" })).EnsureSuccessStatusCode();
            (await technician.PostAsJsonAsync($"/api/tickets/{ticket}/status", new { status = "Resolved" })).EnsureSuccessStatusCode();
            return new(client, Json(HttpMethod.Post, $"/api/tickets/{ticket}/rating", new { score = 5 }),
                Count("SELECT count(*) FROM ticket_history WHERE ticket_id = $1 AND action = 'Rated'", ticket));
        });
        var key = "race-" + Guid.NewGuid().ToString("N")[..8];
        yield return Race.Once("POST /api/tickets/categories", "one category per key", async () => new RaceSetup(await OperatorAsync(),
            Json(HttpMethod.Post, "/api/tickets/categories", new { key, name = "Race" }), Count("SELECT count(*) FROM ticket_categories WHERE key = $1", key)));
        yield return Race.Idempotent("PATCH /api/tickets/categories/{key}", "renaming and retiring twice is renaming and retiring once", async () => new RaceSetup(
            await OperatorAsync(), Json(Patch, $"/api/tickets/categories/{key}", new { name = "Raced", retired = true }),
            Count("SELECT count(*) FROM ticket_categories WHERE key = $1 AND name = 'Raced' AND NOT is_active", key)));
        var queue = "Race " + Guid.NewGuid().ToString("N")[..8];
        yield return Race.Once("POST /api/tickets/queues", "one queue per name", async () => new RaceSetup(await OperatorAsync(),
            Json(HttpMethod.Post, "/api/tickets/queues", new { name = queue }), Count("SELECT count(*) FROM ticket_queues WHERE name = $1", queue)));
        yield return Race.Idempotent("PATCH /api/tickets/queues/{queueId}", "renaming and retiring twice is renaming and retiring once", async () =>
        {
            var id = await factory.Database.ScalarAsync<Guid>("SELECT id FROM ticket_queues WHERE name = $1", queue);
            return new(await OperatorAsync(), Json(Patch, $"/api/tickets/queues/{id}", new { name = queue + " (raced)", retired = true }),
                Count("SELECT count(*) FROM ticket_queues WHERE name = $1 AND NOT is_active", queue + " (raced)"));
        });
    }
}
