using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Testing;

namespace Msp.Tickets.Tests.Features.Timers;

/// <summary>A technician's own timer on a ticket: kept by the service (so a reload or a second tab finds it), paused
/// time not counted, stopped into the minutes a time entry records, one per ticket and technician.</summary>
[Collection(nameof(TicketsApiCollection))]
public sealed class TimersTests(TicketsFactory factory)
{
    [Fact]
    public async Task ATimer_StartsPausesResumesAndStops_IntoTheMinutesToRecord_AndIsGoneAfter()
    {
        var (tenant, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenant));
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenant));
        var ticket = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();

        (await technician.GetAsync($"/api/tickets/{ticket}/timer")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var started = await technician.PostAsync($"/api/tickets/{ticket}/timer", null);
        started.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await TicketsFactory.ReadAsync(started)).GetProperty("running").GetBoolean().ShouldBeTrue();

        var again = await technician.PostAsync($"/api/tickets/{ticket}/timer", null);
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await TicketsFactory.ReadAsync(again)).GetProperty("errors").TryGetProperty("timer", out _).ShouldBeTrue();

        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var paused = await TicketsFactory.ReadAsync(await technician.PostAsync($"/api/tickets/{ticket}/timer/pause", null));
        paused.GetProperty("running").GetBoolean().ShouldBeFalse();
        var counted = paused.GetProperty("elapsedSeconds").GetInt64();
        counted.ShouldBeGreaterThanOrEqualTo(1);

        // Paused time does not count; a second tab reads the same timer.
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var read = await technician.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticket}/timer");
        read.GetProperty("elapsedSeconds").GetInt64().ShouldBe(counted);
        read.GetProperty("running").GetBoolean().ShouldBeFalse();

        (await TicketsFactory.ReadAsync(await technician.PostAsync($"/api/tickets/{ticket}/timer/resume", null))).GetProperty("running").GetBoolean().ShouldBeTrue();
        var stopped = await technician.DeleteAsync($"/api/tickets/{ticket}/timer");
        stopped.StatusCode.ShouldBe(HttpStatusCode.OK);
        var result = await TicketsFactory.ReadAsync(stopped);
        result.GetProperty("elapsedSeconds").GetInt64().ShouldBeGreaterThanOrEqualTo(counted);
        result.GetProperty("minutes").GetInt32().ShouldBe(1); // started minutes count
        (await technician.GetAsync($"/api/tickets/{ticket}/timer")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await technician.DeleteAsync($"/api/tickets/{ticket}/timer")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM ticket_timers WHERE ticket_id = $1", ticket)).ShouldBe(0);
    }

    [Fact]
    public async Task EachTechnician_HasTheirOwnTimer_AClientHasNone_AndAnotherTenantsTicketIsNotFound()
    {
        var (tenant, _) = await factory.TenantAsync();
        var (other, _) = await factory.TenantAsync();
        var clientUser = factory.ClientFor(await factory.ClientUserAsync(tenant));
        var first = factory.ClientFor(await factory.TechnicianAsync(tenant));
        var second = factory.ClientFor(await factory.TechnicianAsync(tenant));
        var outsider = factory.ClientFor(await factory.TechnicianAsync(other));
        var ticket = (await TicketsFactory.OpenAsync(clientUser)).GetProperty("id").GetGuid();

        (await first.PostAsync($"/api/tickets/{ticket}/timer", null)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await second.GetAsync($"/api/tickets/{ticket}/timer")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await second.PostAsync($"/api/tickets/{ticket}/timer", null)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM ticket_timers WHERE ticket_id = $1", ticket)).ShouldBe(2);

        (await clientUser.PostAsync($"/api/tickets/{ticket}/timer", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await outsider.PostAsync($"/api/tickets/{ticket}/timer", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await outsider.GetAsync($"/api/tickets/{ticket}/timer")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await outsider.DeleteAsync($"/api/tickets/{ticket}/timer")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM ticket_timers WHERE ticket_id = $1", ticket)).ShouldBe(2);
    }

    [Fact]
    public async Task ACancelledTicket_IsNotTimed()
    {
        var (tenant, _) = await factory.TenantAsync();
        var clientUser = factory.ClientFor(await factory.ClientUserAsync(tenant));
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenant));
        var ticket = (await TicketsFactory.OpenAsync(clientUser)).GetProperty("id").GetGuid();
        (await technician.PostAsJsonAsync($"/api/tickets/{ticket}/status", new { status = "Cancelled" })).EnsureSuccessStatusCode();

        var refused = await technician.PostAsync($"/api/tickets/{ticket}/timer", null);

        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await TicketsFactory.ReadAsync(refused)).GetProperty("errors").TryGetProperty("status", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task TheWorkTypes_AreTheOnesATimeEntryAccepts()
    {
        var (tenant, _) = await factory.TenantAsync();
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenant));

        var types = await technician.GetFromJsonAsync<string[]>("/api/tickets/work-types");

        types.ShouldBe(["Remote", "OnSite", "Travel", "Project"]);
    }
}
