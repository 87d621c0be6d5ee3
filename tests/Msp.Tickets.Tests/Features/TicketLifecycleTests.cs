using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Data;
using Msp.KnownParties;
using Msp.ServiceDefaults.Identity;

namespace Msp.Tickets.Tests.Features;

[Collection(nameof(TicketsApiCollection))]
public sealed class TicketLifecycleTests(TicketsFactory factory)
{
    private static IEnumerable<string> Bodies(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("body").GetString()!);

    [Fact]
    public async Task AClientOpens_StaffRepliesAndNotes_ClientSeesOnlyTheReply_ResolveThenReplyReopens_HistoryShowsEverything()
    {
        var (tenantId, slug) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenantId));

        var opened = await client.PostAsJsonAsync("/api/tickets", TicketsFactory.NewTicket(category: "printing"));
        opened.StatusCode.ShouldBe(HttpStatusCode.Created);
        var ticket = await TicketsFactory.ReadAsync(opened);
        ticket.GetProperty("reference").GetString().ShouldBe($"{slug.ToUpperInvariant()}-1");
        ticket.GetProperty("priority").GetString().ShouldBe("P2"); // Medium impact, High urgency
        ticket.GetProperty("status").GetString().ShouldBe("New");
        ticket.GetProperty("source").GetString().ShouldBe("Portal");
        var id = ticket.GetProperty("id").GetGuid();

        (await technician.PostAsJsonAsync($"/api/tickets/{id}/comments", new { body = "We are on it: please restart the printer." })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await technician.PostAsJsonAsync($"/api/tickets/{id}/comments", new { body = "Fuser unit is worn; order part 7731.", visibility = "Internal" })).StatusCode.ShouldBe(HttpStatusCode.Created);

        var seenByClient = await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}/comments");
        Bodies(seenByClient).ShouldBe(["We are on it: please restart the printer."]);
        var seenByStaff = await technician.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}/comments");
        Bodies(seenByStaff).Count().ShouldBe(2);
        (await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}")).GetProperty("firstRespondedAt").ValueKind.ShouldBe(JsonValueKind.String);

        var resolved = await technician.PostAsJsonAsync($"/api/tickets/{id}/status", new { status = "Resolved", reason = "Printer restarted" });
        resolved.StatusCode.ShouldBe(HttpStatusCode.OK);

        (await client.PostAsJsonAsync($"/api/tickets/{id}/comments", new { body = "It jammed again this morning." })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var reopened = await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}");
        reopened.GetProperty("status").GetString().ShouldBe("Open");

        var staffHistory = (await technician.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}/history")).GetProperty("items").EnumerateArray()
            .Select(h => (h.GetProperty("action").GetString(), h.GetProperty("newValue").GetString())).ToList();
        staffHistory.Select(h => h.Item1).ShouldBe(["Created", "Replied", "NoteAdded", "StatusChanged", "Replied", "StatusChanged"]);
        staffHistory[3].Item2.ShouldBe("Resolved");
        staffHistory[5].Item2.ShouldBe("Open");
        var clientHistory = (await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}/history")).GetProperty("items").EnumerateArray()
            .Select(h => h.GetProperty("action").GetString()).ToList();
        clientHistory.ShouldBe(["Created", "Replied", "StatusChanged", "Replied", "StatusChanged"]);

        (await factory.EventsAsync("TicketCreated", id)).ShouldBe(1);
        (await factory.EventsAsync("TicketRepliedByStaff", id)).ShouldBe(1);
        (await factory.EventsAsync("TicketResolved", id)).ShouldBe(1);
        (await factory.EventsAsync("TicketReopened", id)).ShouldBe(1);
        (await factory.EventsAsync("TicketStatusChanged", id)).ShouldBe(2);
    }

    [Fact]
    public async Task ConcurrentReplies_AllLand_WithOneFirstResponseAndAnUnbrokenHistory()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var technicians = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ => factory.ClientFor(await factory.TechnicianAsync(tenantId))));
        var id = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();

        var replies = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => technicians[i % 4].PostAsJsonAsync($"/api/tickets/{id}/comments", new { body = $"Reply {i}" })));

        replies.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created);
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM ticket_comments WHERE ticket_id = $1", id)).ShouldBe(12);
        (await factory.Database.ScalarAsync<string>("SELECT string_agg(position::text, ',' ORDER BY position) FROM ticket_history WHERE ticket_id = $1", id))
            .ShouldBe(string.Join(',', Enumerable.Range(1, 13)));
        (await factory.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox WHERE payload->>'ticketId' = $1 AND (payload->>'isFirstResponse')::boolean", id.ToString())).ShouldBe(1);
    }

    [Fact]
    public async Task AClientReply_BringsATicketWaitingOnThemBackToOpen()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenantId));
        var id = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();

        (await technician.PostAsJsonAsync($"/api/tickets/{id}/status", new { status = "WaitingOnCustomer" })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"/api/tickets/{id}/comments", new { body = "Here is the screenshot." })).EnsureSuccessStatusCode();

        (await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}")).GetProperty("status").GetString().ShouldBe("Open");
    }

    [Fact]
    public async Task AReplyAfterTheReopenWindow_IsRefused_AndTheTicketStaysResolved()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenantId));
        var id = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();
        (await technician.PostAsJsonAsync($"/api/tickets/{id}/status", new { status = "Resolved" })).EnsureSuccessStatusCode();
        await factory.Database.ScalarAsync<int>("UPDATE tickets SET resolved_at = now() - interval '8 days' WHERE id = $1 RETURNING 1", id);

        var late = await client.PostAsJsonAsync($"/api/tickets/{id}/comments", new { body = "Still broken." });

        late.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await TicketsFactory.ReadAsync(late)).GetProperty("errors").GetProperty("status")[0].GetString()!.ShouldContain("7 days");
        (await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}")).GetProperty("status").GetString().ShouldBe("Resolved");
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM ticket_comments WHERE ticket_id = $1", id)).ShouldBe(0);
    }

    [Fact]
    public async Task AClientUser_SeesTheirOwnTickets_AndTheirClientAdminSeesAllOfTheTenants()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var alice = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var bob = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var admin = factory.ClientFor(await factory.ClientUserAsync(tenantId, MspRoles.ClientAdmin));
        var alicesTicket = (await TicketsFactory.OpenAsync(alice)).GetProperty("id").GetGuid();
        var bobsTicket = (await TicketsFactory.OpenAsync(bob)).GetProperty("id").GetGuid();

        (await bob.GetAsync($"/api/tickets/{alicesTicket}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await bob.GetFromJsonAsync<JsonElement>("/api/tickets")).GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ShouldBe([bobsTicket]);
        (await admin.GetFromJsonAsync<JsonElement>("/api/tickets")).GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetGuid())
            .ShouldBe([bobsTicket, alicesTicket]);
    }

    [Fact]
    public async Task TheClientRatesAResolvedTicket_AndStaffCannot()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenantId));
        var id = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();

        (await client.PostAsJsonAsync($"/api/tickets/{id}/rating", new { score = 5 })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await technician.PostAsJsonAsync($"/api/tickets/{id}/status", new { status = "Resolved" })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"/api/tickets/{id}/rating", new { score = 6 })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await technician.PostAsJsonAsync($"/api/tickets/{id}/rating", new { score = 5 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var rated = await client.PostAsJsonAsync($"/api/tickets/{id}/rating", new { score = 4, comment = "Quick and friendly" });

        rated.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await TicketsFactory.ReadAsync(rated)).GetProperty("rating").GetInt32().ShouldBe(4);
    }
}
