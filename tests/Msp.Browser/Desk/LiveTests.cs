using System.Diagnostics;
using System.Net.Http.Json;
using Msp.Browser.Screens;
using Msp.Testing;
using Xunit.Abstractions;

namespace Msp.Browser.Desk;

/// <summary>Acceptance 2 of issue 20: an open queue shows a ticket a client opens and a colleague's assignment without
/// a reload, and a technician of another tenant receives nothing of either (the test records every event that reaches
/// that technician's page). The open ticket page follows the client's reply the same way.</summary>
[Collection(nameof(PortalCollection))]
public sealed class LiveTests(PortalFixture portal, ITestOutputHelper output)
{
    /// <summary>Records, in the page, the id of every ticket change the live stream sends it (what page.js acts on).</summary>
    private const string RecordChanges = """
        () => new Promise((ready) => {
          window.seenChanges = [];
          const stream = new EventSource('/live/tickets');
          stream.addEventListener('ticket', (e) => window.seenChanges.push(e.data));
          stream.addEventListener('ready', () => ready(true));
        })
        """;

    [Fact]
    public async Task AnOpenQueue_ShowsANewTicketAndAColleaguesAssignment_WithoutAReload_AndAnotherTenantsTechnicianReceivesNothingOfThem()
    {
        var (tenantA, _) = await portal.TenantAsync();
        var (tenantB, _) = await portal.TenantAsync();
        var (tenantC, _) = await portal.TenantAsync();
        var alice = await portal.ClientAsync(tenantA, "ClientUser", "Alice Alpha");
        var bruno = await portal.ClientAsync(tenantB, "ClientUser", "Bruno Beta");
        var carla = await portal.ClientAsync(tenantC, "ClientUser", "Carla Gamma");
        var technician = await portal.TechnicianAsync(tenantA, tenantB);
        var colleague = await portal.TechnicianAsync(tenantA, tenantB);
        var outsider = await portal.TechnicianAsync(tenantC);
        var waiting = await PortalFixture.OpenTicketAsync(bruno, "Printer jammed again");

        await using var visit = await portal.VisitAsync();
        await new SignInScreen(visit).OpenAsync();
        await new SignInScreen(visit).SignInAsync(technician.Email, technician.Password);
        var queue = await new DeskQueueScreen(visit).OpenAsync("?view=open");
        await Expect(queue.Row(waiting.Reference)).ToBeVisibleAsync();
        await Expect(visit.Page.Locator("html[data-live-connected]")).ToHaveCountAsync(1);
        (await visit.Page.EvaluateAsync<bool>(RecordChanges)).ShouldBeTrue();
        await visit.Page.EvaluateAsync("() => { window.notReloaded = true; }");

        await using var other = await portal.VisitAsync();
        await new SignInScreen(other).OpenAsync();
        await new SignInScreen(other).SignInAsync(outsider.Email, outsider.Password);
        await new DeskQueueScreen(other).OpenAsync("?view=open");
        await Expect(other.Page.Locator("html[data-live-connected]")).ToHaveCountAsync(1);
        (await other.Page.EvaluateAsync<bool>(RecordChanges)).ShouldBeTrue();

        // A client of A opens a ticket: it appears in the open queue.
        var clock = Stopwatch.StartNew();
        var opened = await PortalFixture.OpenTicketAsync(alice, "Laptop will not boot");
        await Expect(queue.Row(opened.Reference)).ToBeVisibleAsync(new() { Timeout = 15_000 });
        output.WriteLine($"the new ticket appeared in the open queue {clock.ElapsedMilliseconds} ms after the client's API call answered 201");

        // A colleague takes the waiting ticket: the row names them.
        clock.Restart();
        (await colleague.Api.PostAsJsonAsync($"/api/tickets/{waiting.Id}/assign", new { assigneeId = colleague.Id })).EnsureSuccessStatusCode();
        await Expect(queue.Row(waiting.Reference)).ToContainTextAsync(colleague.DisplayName, new() { Timeout = 15_000 });
        output.WriteLine($"the colleague's assignment showed {clock.ElapsedMilliseconds} ms after their call answered");
        (await visit.Page.EvaluateAsync<bool>("() => window.notReloaded === true")).ShouldBeTrue("the queue changed without a reload");

        // A ticket of C, opened after both: once C's technician has received it, the stream has sent them everything
        // it would ever send about the two changes before it (one stream, in order). Nothing of A or B is among it.
        var theirs = await PortalFixture.OpenTicketAsync(carla, "Payroll export fails");
        await Eventually.HoldsAsync(async () => (await SeenAsync(other)).Contains(theirs.Id.ToString()), TimeSpan.FromSeconds(15),
            "C's technician receives the change of C's ticket");
        var seenByOutsider = await SeenAsync(other);
        seenByOutsider.ShouldNotContain(opened.Id.ToString());
        seenByOutsider.ShouldNotContain(waiting.Id.ToString());
        (await other.Page.ContentAsync()).ShouldNotContain(opened.Reference);
        await Expect(new DeskQueueScreen(other).Row(theirs.Reference)).ToBeVisibleAsync();

        var seenByTechnician = await SeenAsync(visit);
        seenByTechnician.ShouldContain(opened.Id.ToString());
        seenByTechnician.ShouldContain(waiting.Id.ToString());
        seenByTechnician.ShouldNotContain(theirs.Id.ToString());
        (await visit.Page.ContentAsync()).ShouldNotContain(theirs.Reference);
    }

    [Fact]
    public async Task AnOpenTicketPage_ShowsTheClientsReply_WithoutAReload()
    {
        var (tenant, _) = await portal.TenantAsync();
        var client = await portal.ClientAsync(tenant, "ClientUser", "Lena Live");
        var technician = await portal.TechnicianAsync(tenant);
        var (id, _) = await PortalFixture.OpenTicketAsync(client, "Phone line crackles");

        await using var visit = await portal.VisitAsync();
        await new SignInScreen(visit).OpenAsync();
        await new SignInScreen(visit).SignInAsync(technician.Email, technician.Password);
        await visit.GoAsync($"/desk/tickets/{id}");
        await Expect(visit.Page.Locator("html[data-live-connected]")).ToHaveCountAsync(1);
        await visit.Page.GetByLabel("Message").FillAsync("Half-typed answer");

        var text = "It also drops calls " + Guid.NewGuid().ToString("N")[..6];
        (await client.Api.PostAsJsonAsync($"/api/tickets/{id}/comments", new { body = text })).EnsureSuccessStatusCode();
        await Expect(visit.Page.Locator(".conversation")).ToContainTextAsync(text, new() { Timeout = 15_000 });
        await Expect(visit.Page.GetByLabel("Message")).ToHaveValueAsync("Half-typed answer");
    }

    private static async Task<IReadOnlyList<string>> SeenAsync(Visit visit) => await visit.Page.EvaluateAsync<string[]>("() => window.seenChanges");
}
