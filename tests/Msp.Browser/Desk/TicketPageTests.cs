using System.Net.Http.Json;
using System.Text.Json;
using Msp.Browser.Screens;
using Msp.Testing;

namespace Msp.Browser.Desk;

/// <summary>Acceptance 3 of issue 20, keyboard only: the technician opens a ticket from the queue, inserts a canned
/// response, replies to the client, adds an internal note that is unmistakably apart, times the work and saves a time
/// entry (which reaches the block-hours balance), and resolves the ticket; the client sees the reply and not the
/// note.</summary>
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

        // A block of prepaid hours, which the time logged below draws on.
        await Eventually.HoldsAsync(async () => (await portal.Platform.Gateway.GetAsync($"/api/billing/accounts/{tenant}")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(60), "Billing opens the tenant's account");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        (await portal.Platform.Gateway.PostAsJsonAsync("/api/billing/contracts", new
        {
            tenantId = tenant, name = "Prepaid support", kind = "BlockHours", startsOn = today.AddDays(1 - today.Day),
            blocks = new[] { new { purchasedOn = today.AddDays(1 - today.Day), hours = 10m, price = 900m } }, overageRate = 110m,
        })).EnsureSuccessStatusCode();

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
        // The sent page has settled (its heading takes the focus after navigation): a key pressed before that went into
        // the message box still focused from the reply (seen once in CI: the note was sent as a second reply).
        // Escape leaves the box (the page's rule for keys in a text field), then n chooses a note; until the page has
        // settled after the reply, the focus may move again, so the two keys are pressed until the note is chosen.
        var box = visit.Page.GetByLabel("Message");
        await Expect(box).ToHaveValueAsync("");
        for (var attempt = 0; attempt < 20; attempt++)
        {
            await visit.Page.Keyboard.PressAsync("Escape");
            await visit.Page.Keyboard.PressAsync("n");
            await Task.Delay(300);
            if (await box.GetAttributeAsync("data-kind") == "n" && await box.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                break;
            }
        }

        await Expect(box).ToBeFocusedAsync();
        await Expect(box).ToHaveValueAsync("");
        await visit.Page.Keyboard.TypeAsync("Toner looks fine; suspect the driver.");
        await visit.Page.Keyboard.PressAsync("Control+Enter");
        await Expect(visit.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("The client does not see it.");

        var note = visit.Page.GetByRole(AriaRole.Article, new() { Name = "Internal note by You" });
        await Expect(note).ToContainTextAsync("Internal");
        await Expect(note).ToContainTextAsync("suspect the driver");
        var reply = visit.Page.GetByRole(AriaRole.Article, new() { Name = "Reply by You" });
        (await note.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor")).ShouldNotBe(await reply.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        await visit.ShowsAsync("desk-ticket");

        // t starts the timer, which survives a reload and shows in a second tab; t pauses it; "Stop and record" fills
        // the time entry form with the minutes counted (a short real run: one started minute), and Enter in the note
        // saves the entry, which reaches Billing's block-hours balance.
        await visit.Page.Keyboard.PressAsync("t");
        await Expect(visit.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your timer was updated.");
        await Expect(visit.Page.Locator(".timer-clock")).ToHaveAttributeAsync("data-running", "true");
        await visit.Page.ReloadAsync();
        await Expect(visit.Page.Locator(".timer-clock")).ToHaveAttributeAsync("data-running", "true");
        var secondTab = await visit.Context.NewPageAsync();
        await secondTab.GotoAsync($"/desk/tickets/{id}");
        await Expect(secondTab.Locator(".timer-clock")).ToHaveAttributeAsync("data-running", "true");
        await secondTab.CloseAsync();
        await visit.Page.Keyboard.PressAsync("t");
        await Expect(visit.Page.Locator(".timer-clock")).ToHaveAttributeAsync("data-running", "false");
        await TabToAsync(visit.Page.GetByRole(AriaRole.Button, new() { Name = "Stop and record" }));
        await visit.Page.Keyboard.PressAsync("Enter");
        await Expect(visit.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your timer was stopped");
        await Expect(visit.Page.Locator(".timer-clock")).ToHaveCountAsync(0);
        await Expect(visit.Page.GetByLabel("Minutes")).ToHaveValueAsync("1");
        await TabToAsync(visit.Page.GetByLabel("Note (optional)"));
        await visit.Page.Keyboard.TypeAsync("Reinstalled the printer driver");
        await visit.Page.Keyboard.PressAsync("Enter");
        await Expect(visit.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your time entry was saved.");
        var entries = await technician.Api.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}/time-entries");
        var entry = entries.EnumerateArray().Single();
        entry.GetProperty("minutes").GetInt32().ShouldBe(1);
        entry.GetProperty("workType").GetString().ShouldBe("Remote");
        entry.GetProperty("billable").GetBoolean().ShouldBeTrue();
        await Eventually.HoldsAsync(async () =>
        {
            var balance = await portal.Platform.Gateway.GetFromJsonAsync<JsonElement>($"/api/billing/tenants/{tenant}/block-hours");
            return balance.GetProperty("contracts")[0].GetProperty("hoursUsed").GetDecimal() > 0;
        }, TimeSpan.FromSeconds(30), "the time reaches Billing's block-hours balance");

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

        // Keyboard only: Tab until the control has the focus.
        async Task TabToAsync(ILocator target)
        {
            for (var i = 0; i < 60 && !await target.EvaluateAsync<bool>("e => e === document.activeElement"); i++)
            {
                await visit.Page.Keyboard.PressAsync("Tab");
            }

            await Expect(target).ToBeFocusedAsync();
        }
    }
}
