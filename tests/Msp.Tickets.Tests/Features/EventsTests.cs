using System.Net.Http.Json;
using System.Text.Json;

namespace Msp.Tickets.Tests.Features;

/// <summary>The events of ticket changes, as written to the outbox (the relay publishes each once; see the
/// ServiceDefaults tests): one per change, each with the tenant, none with an internal note's text.</summary>
[Collection(nameof(TicketsApiCollection))]
public sealed class EventsTests(TicketsFactory factory)
{
    private async Task<List<(string Type, JsonElement Payload, Guid TenantId)>> EventsOfAsync(Guid tenantId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(factory.Database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT message_type, payload::text, tenant_id FROM outbox WHERE tenant_id = $1 ORDER BY id", connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = tenantId });
        var events = new List<(string, JsonElement, Guid)>();
        await using var rows = await command.ExecuteReaderAsync();
        while (await rows.ReadAsync())
        {
            events.Add((rows.GetString(0).Split('.')[^1], JsonDocument.Parse(rows.GetString(1)).RootElement, rows.GetGuid(2)));
        }

        return events;
    }

    [Fact]
    public async Task AClientsPublicReply_IsAnnouncedWithItsText_ForTheAssigneesMail()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var requester = await factory.ClientUserAsync(tenantId);
        var client = factory.ClientFor(requester);
        var id = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();

        (await client.PostAsJsonAsync($"/api/tickets/{id}/comments", new { body = "Any news?" })).EnsureSuccessStatusCode();

        var reply = (await EventsOfAsync(tenantId)).Single(e => e.Type == "TicketRepliedByClient").Payload;
        reply.GetProperty("body").GetString().ShouldBe("Any news?");
        reply.GetProperty("authorId").GetGuid().ShouldBe(requester.Id);
        reply.GetProperty("ticketId").GetGuid().ShouldBe(id);
    }

    [Fact]
    public async Task EveryChange_WritesItsEventsOnce_WithTheTenant_AndNoInternalNoteText()
    {
        const string Secret = "the admin password is on a post-it";
        var (tenantId, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var technicianCaller = await factory.TechnicianAsync(tenantId);
        var technician = factory.ClientFor(technicianCaller);
        var id = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();

        (await technician.PostAsJsonAsync($"/api/tickets/{id}/assign", new { assigneeId = technicianCaller.Id })).EnsureSuccessStatusCode();
        (await technician.PostAsJsonAsync($"/api/tickets/{id}/comments", new { body = Secret, visibility = "Internal" })).EnsureSuccessStatusCode();
        (await technician.PostAsJsonAsync($"/api/tickets/{id}/comments", new { body = "First answer" })).EnsureSuccessStatusCode();
        (await technician.PostAsJsonAsync($"/api/tickets/{id}/comments", new { body = "Second answer" })).EnsureSuccessStatusCode();
        (await technician.PatchAsJsonAsync($"/api/tickets/{id}", new { priority = "P1", priorityReason = "CEO affected" })).EnsureSuccessStatusCode();
        (await technician.PostAsJsonAsync($"/api/tickets/{id}/status", new { status = "InProgress" })).EnsureSuccessStatusCode();
        var entry = await technician.PostAsJsonAsync($"/api/tickets/{id}/time-entries", new { minutes = 30, workType = "Remote", note = Secret });
        var entryId = (await TicketsFactory.ReadAsync(entry)).GetProperty("id").GetGuid();
        (await technician.PutAsJsonAsync($"/api/tickets/{id}/time-entries/{entryId}", new { minutes = 45, workType = "OnSite" })).EnsureSuccessStatusCode();
        (await technician.PostAsJsonAsync($"/api/tickets/{id}/status", new { status = "Resolved" })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"/api/tickets/{id}/status", new { status = "Closed" })).EnsureSuccessStatusCode();

        var events = await EventsOfAsync(tenantId);

        events.Select(e => e.Type).ShouldBe([
            "TicketCreated", "TicketAssigned", "TicketRepliedByStaff", "TicketRepliedByStaff", "TicketPriorityChanged",
            "TicketStatusChanged", "TimeEntryLogged", "TimeEntryChanged", "TicketStatusChanged", "TicketResolved", "TicketStatusChanged", "TicketClosed",
        ]);
        events.ShouldAllBe(e => e.TenantId == tenantId && e.Payload.GetProperty("tenantId").GetGuid() == tenantId);
        events.ShouldAllBe(e => !e.Payload.GetRawText().Contains("post-it"));
        events.First().Payload.GetProperty("subject").GetString().ShouldNotBeNullOrEmpty();
        events.Where(e => e.Type == "TicketRepliedByStaff").Select(e => e.Payload.GetProperty("body").GetString()).ShouldBe(["First answer", "Second answer"]);
        var replies = events.Where(e => e.Type == "TicketRepliedByStaff").Select(e => e.Payload.GetProperty("isFirstResponse").GetBoolean());
        replies.ShouldBe([true, false]);
        var ticketEvents = events.Where(e => e.Payload.TryGetProperty("sequence", out _)).Select(e => e.Payload.GetProperty("sequence").GetInt64()).ToList();
        ticketEvents.ShouldBe(Enumerable.Range(1, ticketEvents.Count).Select(n => (long)n).ToList());
        var changed = events.Single(e => e.Type == "TimeEntryChanged").Payload;
        (changed.GetProperty("minutes").GetInt32(), changed.GetProperty("workType").GetString(), changed.GetProperty("version").GetInt64()).ShouldBe((45, "OnSite", 2L));
        events.Single(e => e.Type == "TicketPriorityChanged").Payload.GetProperty("to").GetString().ShouldBe("P1");
    }
}
