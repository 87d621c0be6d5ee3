using System.Net.Http.Json;
using Msp.Testing;

namespace Msp.Tickets.Tests.Features.AutoClose;

/// <summary>Auto-closing is a Hangfire recurring job in the Tickets database: two replicas close each ticket once.</summary>
public sealed class AutoCloseJobTests
{
    [Fact]
    public async Task TwoReplicasOnTheSchedule_CloseEachTicketResolvedLongEnoughAgo_Once()
    {
        await using var first = new TicketsFactory { Settings = { ["Msp:Tickets:AutoCloseSchedule"] = "* * * * * *" } }; // every second
        await ((IAsyncLifetime)first).InitializeAsync();
        await using var second = new TicketsFactory { ReplicaOf = first, Settings = { ["Msp:Tickets:AutoCloseSchedule"] = "* * * * * *" } };
        await ((IAsyncLifetime)second).InitializeAsync();
        await Eventually.HoldsAsync(async () => await first.Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.server") == 2,
            TimeSpan.FromSeconds(30), "both replicas' Hangfire servers check in");

        var (tenantId, _) = await first.TenantAsync();
        var client = first.ClientFor(await first.ClientUserAsync(tenantId));
        var technician = second.ClientFor(await first.TechnicianAsync(tenantId));
        var old = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            old.Add((await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid());
        }

        var recent = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();
        foreach (var id in old.Append(recent))
        {
            (await technician.PostAsJsonAsync($"/api/tickets/{id}/status", new { status = "Resolved" })).EnsureSuccessStatusCode();
        }

        await first.Database.ScalarAsync<int>("UPDATE tickets SET resolved_at = now() - interval '4 days' WHERE id = ANY($1) RETURNING 1", old.ToArray());

        await Eventually.HoldsAsync(async () => await first.Database.ScalarAsync<long>(
                "SELECT count(*) FROM tickets WHERE id = ANY($1) AND status = 'Closed'", old.ToArray()) == old.Count,
            TimeSpan.FromSeconds(60), "the scheduled job closes the old tickets");
        await Eventually.HoldsAsync(async () => await first.Database.ScalarAsync<long>(
                "SELECT count(*) FROM hangfire.job WHERE statename = 'Succeeded' AND invocationdata::text LIKE '%AutoCloseJob%'") >= 3,
            TimeSpan.FromSeconds(60), "later occurrences run too, and find nothing more to close");
        foreach (var id in old)
        {
            (await first.EventsAsync("TicketClosed", id)).ShouldBe(1, "each ticket is closed and announced once");
        }

        (await first.Database.ScalarAsync<string>("SELECT status FROM tickets WHERE id = $1", recent)).ShouldBe("Resolved");
    }
}
