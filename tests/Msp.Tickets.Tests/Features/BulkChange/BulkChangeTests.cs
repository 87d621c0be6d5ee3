using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.ServiceDefaults.Identity;
using Msp.Testing;

namespace Msp.Tickets.Tests.Features.BulkChange;

/// <summary>One change for many tickets: each ticket's own rules decide, and the answer says per ticket what happened.</summary>
[Collection(nameof(TicketsApiCollection))]
public sealed class BulkChangeTests(TicketsFactory factory)
{
    [Fact]
    public async Task ABulkMove_ChangesTheTicketsThatAllowIt_AndLeavesTheRefusedOnesExactlyAsTheyWere()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenantId));
        var operatorApi = factory.ClientFor(await factory.UserAsync(Caller.Staff(MspRoles.Operator)));
        var queue = await TicketsFactory.ReadAsync(await operatorApi.PostAsJsonAsync("/api/tickets/queues", new { name = "Bulk " + Guid.NewGuid().ToString("N")[..8] }));
        var queueId = queue.GetProperty("id").GetGuid();
        var open = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            open.Add((await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid());
        }

        var cancelled = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();
        (await client.PostAsJsonAsync($"/api/tickets/{cancelled}/status", new { status = "Cancelled" })).EnsureSuccessStatusCode();
        var cancelledBefore = await client.GetStringAsync($"/api/tickets/{cancelled}");
        var unknown = Guid.CreateVersion7();

        var response = await technician.PostAsJsonAsync("/api/tickets/bulk", new { ticketIds = open.Append(cancelled).Append(unknown), queueId, status = "InProgress" });

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var results = (await TicketsFactory.ReadAsync(response)).GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("ticketId").GetGuid());
        results.Count.ShouldBe(6);
        foreach (var id in open)
        {
            results[id].GetProperty("outcome").GetString().ShouldBe("Changed");
            var ticket = await technician.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}");
            (ticket.GetProperty("queueId").GetGuid(), ticket.GetProperty("status").GetString()).ShouldBe((queueId, "InProgress"));
        }

        results[cancelled].GetProperty("outcome").GetString().ShouldBe("Refused");
        results[cancelled].GetProperty("field").GetString().ShouldBe("status");
        results[cancelled].GetProperty("reason").GetString()!.ShouldContain("cancelled");
        (await client.GetStringAsync($"/api/tickets/{cancelled}")).ShouldBe(cancelledBefore);
        results[unknown].GetProperty("outcome").GetString().ShouldBe("NotFound");
        (await factory.EventsAsync("TicketAssigned", open[0])).ShouldBe(1);
        (await factory.EventsAsync("TicketAssigned", cancelled)).ShouldBe(0);
    }

    [Fact]
    public async Task AStatusMoveTheWorkflowRefuses_KeepsTheTicketsAssignmentToo_AndTheRepeatIsUnchanged()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var technician = await factory.TechnicianAsync(tenantId);
        var api = factory.ClientFor(technician);
        var fresh = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();
        var resolved = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();
        (await api.PostAsJsonAsync($"/api/tickets/{resolved}/status", new { status = "Resolved" })).EnsureSuccessStatusCode();

        // New → WaitingOnThirdParty is a legal staff move; Resolved → WaitingOnThirdParty is not, and then its
        // assignment (which alone it would allow) is not saved either.
        var first = await TicketsFactory.ReadAsync(await api.PostAsJsonAsync("/api/tickets/bulk",
            new { ticketIds = new[] { fresh, resolved }, assigneeId = technician.Id, status = "WaitingOnThirdParty" }));
        var again = await TicketsFactory.ReadAsync(await api.PostAsJsonAsync("/api/tickets/bulk",
            new { ticketIds = new[] { fresh }, assigneeId = technician.Id, status = "WaitingOnThirdParty" }));

        var outcomes = first.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("outcome").GetString()).ToList();
        outcomes.ShouldBe(["Changed", "Refused"]);
        var kept = await api.GetFromJsonAsync<JsonElement>($"/api/tickets/{resolved}");
        kept.GetProperty("status").GetString().ShouldBe("Resolved");
        kept.GetProperty("assigneeId").ValueKind.ShouldBe(JsonValueKind.Null);
        again.GetProperty("results")[0].GetProperty("outcome").GetString().ShouldBe("Unchanged");
    }

    [Fact]
    public async Task OnlyAnotherTenantsTicket_Answers404_AndAnAssigneeWhoDoesNotServeATicketsTenant_IsRefusedForIt()
    {
        var (tenantA, _) = await factory.TenantAsync();
        var (tenantB, _) = await factory.TenantAsync();
        var ticketA = (await TicketsFactory.OpenAsync(factory.ClientFor(await factory.ClientUserAsync(tenantA)))).GetProperty("id").GetGuid();
        var ticketB = (await TicketsFactory.OpenAsync(factory.ClientFor(await factory.ClientUserAsync(tenantB)))).GetProperty("id").GetGuid();
        var technicianA = factory.ClientFor(await factory.TechnicianAsync(tenantA));
        var operatorApi = factory.ClientFor(await factory.UserAsync(Caller.Staff(MspRoles.Operator)));
        var onlyB = await factory.TechnicianAsync(tenantB);

        var fromA = await technicianA.PostAsJsonAsync("/api/tickets/bulk", new { ticketIds = new[] { ticketB }, status = "Cancelled" });
        var mixed = await TicketsFactory.ReadAsync(await technicianA.PostAsJsonAsync("/api/tickets/bulk", new { ticketIds = new[] { ticketA, ticketB }, status = "Open" }));
        var byOperator = await TicketsFactory.ReadAsync(await operatorApi.PostAsJsonAsync("/api/tickets/bulk", new { ticketIds = new[] { ticketA, ticketB }, assigneeId = onlyB.Id }));

        fromA.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        mixed.GetProperty("results")[1].GetProperty("outcome").GetString().ShouldBe("NotFound");
        mixed.GetProperty("results")[1].GetProperty("reference").ValueKind.ShouldBe(JsonValueKind.Null);
        (await operatorApi.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketB}")).GetProperty("status").GetString().ShouldNotBe("Cancelled");
        var results = byOperator.GetProperty("results");
        (results[0].GetProperty("outcome").GetString(), results[0].GetProperty("field").GetString()).ShouldBe(("Refused", "assigneeId"));
        results[1].GetProperty("outcome").GetString().ShouldBe("Changed");
    }

    [Theory]
    [InlineData("{}", "ticketIds")]
    [InlineData("""{"ticketIds":[]}""", "ticketIds")]
    [InlineData("""{"ticketIds":["0193a000-0000-7000-8000-000000000001"]}""", "body")]
    [InlineData("""{"ticketIds":["0193a000-0000-7000-8000-000000000001"],"queueId":"0193a000-0000-7000-8000-000000000002"}""", "queueId")]
    [InlineData("""{"ticketIds":["0193a000-0000-7000-8000-000000000001"],"assigneeId":"0193a000-0000-7000-8000-000000000002"}""", "assigneeId")]
    public async Task ABadRequest_Answers400NamingTheField(string body, string field)
    {
        var (tenantId, _) = await factory.TenantAsync();
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenantId));

        var response = await technician.PostAsync("/api/tickets/bulk", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await TicketsFactory.ReadAsync(response)).GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldContain(n => n.Equals(field, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task MoreThanAHundredTickets_AreRefusedAtOnce()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenantId));

        var response = await technician.PostAsJsonAsync("/api/tickets/bulk", new { ticketIds = Enumerable.Range(0, 101).Select(_ => Guid.CreateVersion7()), status = "Open" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
