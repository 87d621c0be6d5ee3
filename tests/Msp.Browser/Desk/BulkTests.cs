using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Browser.Screens;
using Msp.Testing;

namespace Msp.Browser.Desk;

/// <summary>Acceptance 5 of issue 20: twenty tickets moved to a queue in one action; those whose rules refuse the
/// status move are listed with the reason and stay as they were in the API.</summary>
[Collection(nameof(PortalCollection))]
public sealed class BulkTests(PortalFixture portal)
{
    [Fact]
    public async Task TwentyTickets_GoToAQueueInOneAction_AndTheRefusedOnesAreListedWithTheirReason_AndUnchanged()
    {
        var (tenant, _) = await portal.TenantAsync();
        var client = await portal.ClientAsync(tenant, "ClientUser", "Rita Requester");
        var technician = await portal.TechnicianAsync(tenant);
        var queueName = "Network " + Guid.NewGuid().ToString("N")[..6];
        var queue = await portal.Platform.Gateway.PostAsJsonAsync("/api/tickets/queues", new { name = queueName });
        queue.StatusCode.ShouldBe(HttpStatusCode.Created, await queue.Content.ReadAsStringAsync());
        var queueId = (await queue.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var tickets = new List<(Guid Id, string Reference)>();
        for (var i = 1; i <= 20; i++)
        {
            tickets.Add(await PortalFixture.OpenTicketAsync(client, $"Bulk ticket {i}"));
        }

        // Five are resolved already: a resolved ticket is reopened or closed, never put to wait on a supplier.
        var resolved = tickets.Take(5).ToList();
        foreach (var (id, _) in resolved)
        {
            (await technician.Api.PostAsJsonAsync($"/api/tickets/{id}/status", new { status = "Resolved" })).EnsureSuccessStatusCode();
        }

        var before = new Dictionary<Guid, string>();
        foreach (var (id, _) in resolved)
        {
            before[id] = await WhatBulkChangesAsync(technician, id);
        }

        await using var visit = await portal.VisitAsync();
        await new SignInScreen(visit).OpenAsync();
        await new SignInScreen(visit).SignInAsync(technician.Email, technician.Password);
        var screen = await new DeskQueueScreen(visit).OpenAsync($"?view=open&tenantId={tenant}&sort=newest");
        await Expect(screen.Rows).ToHaveCountAsync(20);
        foreach (var (_, reference) in tickets)
        {
            await screen.SelectAsync(reference);
        }

        await visit.Page.GetByLabel("Move to queue").SelectOptionAsync(new SelectOptionValue { Label = queueName });
        await visit.Page.GetByLabel("Set status").SelectOptionAsync(new SelectOptionValue { Label = "Waiting on supplier" });
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Apply to selected" }).ClickAsync();

        var result = visit.Page.Locator(".bulk-result");
        await Expect(result).ToContainTextAsync("15 changed, 0 already so, 5 refused.");
        var refused = await result.Locator(".refused li").AllInnerTextsAsync();
        refused.Count.ShouldBe(5);
        foreach (var (_, reference) in resolved)
        {
            refused.ShouldContain(line => line.StartsWith(reference + ":") && line.Contains("cannot go from Resolved to WaitingOnThirdParty"));
        }

        await visit.ShowsAsync("desk-bulk");

        foreach (var (id, _) in resolved)
        {
            (await WhatBulkChangesAsync(technician, id)).ShouldBe(before[id]);
        }

        foreach (var (id, reference) in tickets.Skip(5))
        {
            var ticket = await technician.Api.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}");
            (ticket.GetProperty("queueId").GetGuid(), ticket.GetProperty("status").GetString()).ShouldBe((queueId, "WaitingOnThirdParty"), reference);
        }
    }

    /// <summary>What the bulk change would have touched: status, queue, assignee, and the last change's instant (the SLA
    /// due instant, which the SLA engine updates on its own time, is left out).</summary>
    private static async Task<string> WhatBulkChangesAsync(Person staff, Guid id)
    {
        var t = await staff.Api.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}");
        return string.Join('|', new[] { "status", "queueId", "assigneeId", "updatedAt", "version" }.Select(p => t.GetProperty(p).ToString()));
    }
}
