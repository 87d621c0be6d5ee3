using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Browser.Screens;
using Msp.Testing;

namespace Msp.Browser.Desk;

/// <summary>Acceptance 1 of issue 20: a technician's queue holds the tickets of the tenants assigned to them and none
/// of any other, sorted by time left, each with the badge the SLA API's state calls for.</summary>
[Collection(nameof(PortalCollection))]
public sealed class QueueTests(PortalFixture portal)
{
    [Fact]
    public async Task ATechnicianOfTwoTenants_SeesBothTenantsTickets_NearestDeadlineFirst_WithTheSlaApisStates_AndNothingOfAThird()
    {
        var (tenantA, _) = await portal.TenantAsync();
        var (tenantB, _) = await portal.TenantAsync();
        var (tenantC, _) = await portal.TenantAsync();
        var alice = await portal.ClientAsync(tenantA, "ClientUser", "Alice Alpha");
        var bruno = await portal.ClientAsync(tenantB, "ClientUser", "Bruno Beta");
        var carla = await portal.ClientAsync(tenantC, "ClientUser", "Carla Gamma");
        var technician = await portal.TechnicianAsync(tenantA, tenantB);

        var urgent = await OpenAsync(alice, "Server room is on fire", "High", "High");
        var warned = await OpenAsync(bruno, "VPN drops every hour", "Medium", "High");
        var low = await OpenAsync(alice, "New mouse please", "Low", "Low");
        var secret = await OpenAsync(carla, "Gamma payroll export " + Guid.NewGuid().ToString("N")[..6], "High", "High");

        // The SLA engine holds each ticket's clocks and Tickets has each one's next due instant.
        await Eventually.HoldsAsync(async () =>
        {
            var page = await technician.Api.GetFromJsonAsync<JsonElement>("/api/tickets?sort=due&limit=50");
            var rows = page.GetProperty("items").EnumerateArray().ToList();
            return rows.Count == 3 && rows.All(r => r.GetProperty("slaDueAt").ValueKind == JsonValueKind.String);
        }, TimeSpan.FromSeconds(60), "the SLA due instants reach Tickets");

        // One ticket past its warning threshold and one past its deadline, as the SLA sweep then publishes them.
        var slas = portal.Platform.Databases["slas"];
        await slas.ScalarAsync<int>("UPDATE sla_clocks SET warn_at = now() - interval '2 seconds', breach_at = now() - interval '1 second', due_at = now() - interval '1 second' WHERE ticket_id = $1 AND kind = 'FirstResponse' RETURNING 1", urgent.Id);
        await slas.ScalarAsync<int>("UPDATE sla_clocks SET warn_at = now() - interval '1 second' WHERE ticket_id = $1 AND kind = 'FirstResponse' RETURNING 1", warned.Id);
        await Eventually.HoldsAsync(async () => await StateAsync(technician, urgent.Id) == "breached" && await StateAsync(technician, warned.Id) == "warning",
            TimeSpan.FromSeconds(30), "the SLA engine warns and breaches");
        var order = (await technician.Api.GetFromJsonAsync<JsonElement>("/api/tickets?sort=due&limit=50"))
            .GetProperty("items").EnumerateArray().Select(r => r.GetProperty("reference").GetString()!).ToList();

        await using var visit = await portal.VisitAsync();
        await new SignInScreen(visit).OpenAsync();
        await new SignInScreen(visit).SignInAsync(technician.Email, technician.Password);
        new Uri(visit.Page.Url).AbsolutePath.ShouldBe("/desk");
        var queue = await new DeskQueueScreen(visit).OpenAsync("?view=open");

        var shown = await queue.ReferencesAsync();
        shown.ShouldBe(order);
        shown[0].ShouldBe(urgent.Reference);
        shown.ShouldBe([urgent.Reference, warned.Reference, low.Reference], ignoreOrder: true);
        foreach (var (id, reference) in new[] { urgent, warned, low })
        {
            (await queue.BadgeStateAsync(reference)).ShouldBe(await StateAsync(technician, id), reference);
        }

        (await queue.BadgeStateAsync(urgent.Reference)).ShouldBe("breached");
        (await queue.BadgeStateAsync(warned.Reference)).ShouldBe("warning");
        (await queue.BadgeStateAsync(low.Reference)).ShouldBe("running");
        await Expect(queue.Row(warned.Reference)).ToContainTextAsync("Bottega");
        await Expect(queue.Row(warned.Reference)).ToContainTextAsync("Bruno Beta");
        await Expect(visit.Page.Locator(".counts")).ToContainTextAsync("3 New");
        var html = await visit.Page.ContentAsync();
        html.ShouldNotContain(secret.Reference);
        html.ShouldNotContain("Gamma payroll");
        await visit.ShowsAsync("desk-queue");

        // The tenant filter keeps one tenant; C is not among the choices, and asking for it answers nothing of it.
        (await visit.Page.Locator("#tenant option").AllInnerTextsAsync()).Count.ShouldBe(3);
        await visit.Page.GetByLabel("Client", new() { Exact = true }).SelectOptionAsync(tenantB.ToString());
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(queue.Rows).ToHaveCountAsync(1);
        await visit.GoAsync($"/desk?view=open&tenantId={tenantC}");
        (await visit.Page.ContentAsync()).ShouldNotContain(secret.Reference);

        // A phone, in French.
        (await technician.Api.PutAsJsonAsync("/api/auth/me/profile", new { displayName = technician.DisplayName, language = "fr", timeZone = "Europe/Paris" })).EnsureSuccessStatusCode();
        await using var phone = await portal.VisitAsync("fr-FR", phone: true);
        await new SignInScreen(phone).OpenAsync();
        await phone.Page.GetByLabel("Adresse e-mail").FillAsync(technician.Email);
        await phone.Page.GetByLabel("Mot de passe", new() { Exact = true }).FillAsync(technician.Password);
        await phone.Page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        await phone.Page.WaitForURLAsync(url => !url.Contains("/account/signin"));
        var phoneQueue = await new DeskQueueScreen(phone).OpenAsync("?view=open");
        (await phoneQueue.ReferencesAsync()).ShouldBe(order);
        await phone.ShowsAsync("desk-queue");
    }

    private static async Task<(Guid Id, string Reference)> OpenAsync(Person requester, string subject, string impact, string urgency)
    {
        var response = await requester.Api.PostAsJsonAsync("/api/tickets", new { subject, description = "Opened for the queue test.", impact, urgency });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var ticket = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (ticket.GetProperty("id").GetGuid(), ticket.GetProperty("reference").GetString()!);
    }

    /// <summary>The badge the SLA API's answer calls for: the clock still counting that falls due first.</summary>
    private static async Task<string> StateAsync(Person staff, Guid ticketId)
    {
        var response = await staff.Api.GetAsync($"/api/slas/tickets/{ticketId}");
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return "none";
        }

        var clocks = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clocks").EnumerateArray()
            .Where(c => c.GetProperty("stoppedAt").ValueKind == JsonValueKind.Null && c.GetProperty("state").GetString() is "Running" or "Paused" or "Breached")
            .ToList();
        if (clocks.Count == 0)
        {
            return "none";
        }

        var clock = clocks.OrderBy(c => c.GetProperty("state").GetString() == "Breached" ? 0 : 1).ThenBy(c => c.GetProperty("dueAt").GetDateTimeOffset()).First();
        return clock.GetProperty("state").GetString() switch
        {
            "Breached" => "breached",
            "Paused" => "paused",
            _ when clock.GetProperty("warnedAt").ValueKind != JsonValueKind.Null => "warning",
            _ => "running",
        };
    }
}
