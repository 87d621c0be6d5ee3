using System.Net.Http.Json;
using System.Text.Json;
using Msp.Browser.Screens;

namespace Msp.Browser.Desk;

/// <summary>Part of acceptance 3 of issue 20 (the part built): the technician opens a ticket from the queue, replies
/// to the client, adds an internal note that is unmistakably apart, and resolves the ticket; the client sees the reply
/// and not the note.</summary>
[Collection(nameof(PortalCollection))]
public sealed class TicketPageTests(PortalFixture portal)
{
    [Fact]
    public async Task ATechnician_RepliesNotesAndResolves_AndTheClientSeesTheReplyButNotTheNote()
    {
        var (tenant, _) = await portal.TenantAsync();
        var client = await portal.ClientAsync(tenant, "ClientUser", "Nina Nord");
        var technician = await portal.TechnicianAsync(tenant);
        var (id, reference) = await PortalFixture.OpenTicketAsync(client, "Printer prints blank pages");
        var word = "greet" + Guid.NewGuid().ToString("N")[..6];
        (await portal.Platform.Gateway.PostAsJsonAsync("/api/tickets/canned-responses",
            new { title = $"On it {word}", body = "Hello {requester.firstName}, we are on it ({ticket.reference})." })).EnsureSuccessStatusCode();

        await using var visit = await portal.VisitAsync();
        await new SignInScreen(visit).OpenAsync();
        await new SignInScreen(visit).SignInAsync(technician.Email, technician.Password);
        var queue = await new DeskQueueScreen(visit).OpenAsync("?view=unassigned");
        await Expect(queue.Rows).ToHaveCountAsync(1);

        // Keyboard only: ? lists the keys, j picks the first ticket, Enter opens it.
        await visit.Page.Keyboard.PressAsync("?");
        await Expect(visit.Page.GetByRole(AriaRole.Dialog, new() { Name = "Keyboard shortcuts" })).ToBeVisibleAsync();
        await visit.Page.Keyboard.PressAsync("Escape");
        await Expect(visit.Page.GetByRole(AriaRole.Dialog)).ToBeHiddenAsync();
        await visit.Page.Keyboard.PressAsync("j");
        await Expect(queue.Row(reference)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("current"));
        await visit.Page.Keyboard.PressAsync("Enter");
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Printer prints blank pages");
        await Expect(visit.Page.Locator(".facts")).ToContainTextAsync("Nina Nord");
        await Expect(visit.Page.Locator(".facts")).ToContainTextAsync(client.Email);

        // / goes to the canned responses' search; the one found is inserted filled for this ticket, r starts the reply
        // and Ctrl+Enter sends it; n starts an internal note.
        await visit.Page.Keyboard.PressAsync("/");
        await Expect(visit.Page.GetByLabel("Find a canned response")).ToBeFocusedAsync();
        await visit.Page.Keyboard.TypeAsync(word);
        await visit.Page.Keyboard.PressAsync("Enter");
        await Expect(visit.Page.GetByLabel("Canned response", new() { Exact = true })).ToBeVisibleAsync();
        await visit.Page.Keyboard.PressAsync("/");
        await visit.Page.Keyboard.PressAsync("Tab");
        await visit.Page.Keyboard.PressAsync("Tab");
        await visit.Page.Keyboard.PressAsync("Tab");
        await Expect(visit.Page.GetByRole(AriaRole.Button, new() { Name = "Insert" })).ToBeFocusedAsync();
        await visit.Page.Keyboard.PressAsync("Enter");
        var expected = $"Hello Nina, we are on it ({reference}).";
        await Expect(visit.Page.GetByLabel("Message")).ToHaveValueAsync(expected);
        await visit.Page.Keyboard.PressAsync("r");
        await Expect(visit.Page.GetByLabel("Message")).ToBeFocusedAsync();
        await visit.Page.Keyboard.PressAsync("Control+Enter");
        await Expect(visit.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your reply was sent to the client.");
        await visit.Page.Keyboard.PressAsync("n");
        await visit.Page.Keyboard.TypeAsync("Toner looks fine; suspect the driver.");
        await visit.Page.Keyboard.PressAsync("Control+Enter");
        await Expect(visit.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("The client does not see it.");

        var note = visit.Page.GetByRole(AriaRole.Article, new() { Name = "Internal note by You" });
        await Expect(note).ToContainTextAsync("Internal");
        await Expect(note).ToContainTextAsync("suspect the driver");
        var reply = visit.Page.GetByRole(AriaRole.Article, new() { Name = "Reply by You" });
        (await note.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor")).ShouldNotBe(await reply.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        await visit.ShowsAsync("desk-ticket");

        // Only the moves the API allows are offered.
        var moves = await visit.Page.Locator("#move-status option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)");
        moves.ShouldNotContain("New");
        moves.ShouldContain("Resolved");
        await visit.Page.GetByLabel("Move to").SelectOptionAsync("Resolved");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Change status" }).ClickAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("The status was changed.");
        await Expect(visit.Page.Locator(".facts")).ToContainTextAsync("Resolved");
        await Expect(visit.Page.Locator(".history")).ToContainTextAsync("added an internal note");

        var seen = await client.Api.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}/comments");
        var bodies = seen.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("body").GetString()).ToList();
        bodies.ShouldContain(expected);
        bodies.ShouldNotContain("Toner looks fine; suspect the driver.");
        (await client.Api.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}")).GetProperty("status").GetString().ShouldBe("Resolved");

        await using var phone = await portal.VisitAsync(phone: true);
        await new SignInScreen(phone).OpenAsync();
        await new SignInScreen(phone).SignInAsync(technician.Email, technician.Password);
        await phone.GoAsync($"/desk/tickets/{id}");
        await Expect(phone.Page.GetByRole(AriaRole.Article, new() { Name = "Internal note by You" })).ToBeVisibleAsync();
        await phone.ShowsAsync("desk-ticket");
    }
}
