using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Msp.Browser.Screens;

namespace Msp.Browser.Portal;

/// <summary>Acceptance 1 of issue 19: an invited employee's first ticket, from the invitation link to the rating.</summary>
[Collection(nameof(PortalCollection))]
public sealed class ClientJourneyTests(PortalFixture portal)
{
    [Fact]
    public async Task AnInvitedClient_OpensATicketWithTwoFiles_FollowsTheConversation_RepliesWithAFile_AndRatesIt()
    {
        var (tenantId, _) = await portal.TenantAsync();
        var technician = await portal.TechnicianAsync(tenantId);
        var (userId, email, token) = await portal.InviteAsync(tenantId, "ClientUser", "Nora Client");
        await using var visit = await portal.VisitAsync();

        // The invitation link, then signing in.
        var accept = await new AcceptInvitationScreen(visit).OpenAsync(token);
        await visit.ShowsAsync("portal-accept-invitation");
        await accept.SetPasswordAsync(PortalFixture.Password);
        var signIn = new SignInScreen(visit);
        await Expect(signIn.Notice).ToHaveTextAsync("Your password is set. Sign in with it now.");
        await visit.ShowsAsync("portal-sign-in");
        await signIn.SignInAsync(email, PortalFixture.Password);
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Your tickets", Level = 1 })).ToBeVisibleAsync();

        // A ticket with two files, their sizes shown before sending.
        var form = await new NewTicketScreen(visit).OpenAsync();
        await Expect(form.CapExplained).ToBeVisibleAsync();
        var subject = "Laptop will not charge " + Guid.NewGuid().ToString("N")[..6];
        await form.FillAsync(subject, "The charger light stays off since Monday.", "Only me", "I can work, with difficulty");
        await form.AttachAsync(File("charger.jpg", 3 * 1024), File("error-log.txt", 1536));
        await Expect(form.ChosenFiles).ToHaveTextAsync(["charger.jpg (3.0 KB)", "error-log.txt (1.5 KB)"]);
        await visit.ShowsAsync("portal-new-ticket");
        var ticket = await form.SubmitAsync();
        await Expect(ticket.Notice).ToHaveTextAsync("Your request was sent. We will keep you posted here.");
        await Expect(ticket.Description.GetByRole(AriaRole.Link, new() { Name = "charger.jpg" })).ToBeVisibleAsync();
        await Expect(ticket.Description.GetByRole(AriaRole.Link, new() { Name = "error-log.txt" })).ToBeVisibleAsync();
        var reference = (await ticket.Heading.Locator(".reference").InnerTextAsync()).Trim();
        var ticketId = ticket.Id;

        var list = await new TicketListScreen(visit).OpenAsync();
        await Expect(list.Row(reference)).ToContainTextAsync(subject);
        await Expect(list.Row(reference)).ToContainTextAsync("Received");
        await visit.ShowsAsync("portal-tickets");
        await list.OpenTicketAsync(reference);

        // "We will answer by" the first-response clock's due instant, in the user's time zone.
        var me = await (await portal.SignedInAsync(email, PortalFixture.Password)).GetFromJsonAsync<JsonElement>("/api/auth/me");
        var zone = TimeZoneInfo.FindSystemTimeZoneById(me.TryGetProperty("timeZone", out var tz) && tz.GetString() is { } id ? id : "UTC");
        var clocks = await portal.Platform.Gateway.GetFromJsonAsync<JsonElement>($"/api/slas/tickets/{ticketId}");
        var due = clocks.GetProperty("clocks").EnumerateArray().Single(c => c.GetProperty("kind").GetString() == "FirstResponse").GetProperty("dueAt").GetDateTimeOffset();
        var english = CultureInfo.GetCultureInfo("en-GB"); // English pages format the British way (decision 0120)
        var expected = TimeZoneInfo.ConvertTime(due, zone).ToString(english.DateTimeFormat.LongDatePattern + " " + english.DateTimeFormat.ShortTimePattern, english);
        await ticket.ReloadUntilAsync(ticket.Promises);
        await Expect(ticket.Promises).ToContainTextAsync($"We will answer by {expected}.");

        // The technician replies and writes an internal note; the client sees the one, never the other.
        (await technician.Api.PostAsJsonAsync($"/api/tickets/{ticketId}/comments", new { body = "Please try another socket and tell us.", visibility = "Public" })).EnsureSuccessStatusCode();
        (await technician.Api.PostAsJsonAsync($"/api/tickets/{ticketId}/comments", new { body = "Internal: battery recall list, check serial.", visibility = "Internal" })).EnsureSuccessStatusCode();
        await ticket.ReloadUntilAsync(ticket.Conversation.GetByText("Please try another socket and tell us."));
        (await visit.Page.ContentAsync()).ShouldNotContain("battery recall");
        await Expect(ticket.Promises).ToContainTextAsync("We aim to resolve it by");
        await visit.ShowsAsync("portal-ticket");

        // A reply with a file.
        await ticket.ReplyAsync("Another socket does not help either.", File("socket.png", 2048));
        await Expect(ticket.Conversation.GetByRole(AriaRole.Link, new() { Name = "socket.png" })).ToBeVisibleAsync();
        await Expect(ticket.Conversation.GetByRole(AriaRole.Article).Last).ToContainTextAsync("Another socket does not help either.");

        // Resolved: the client rates it.
        (await technician.Api.PostAsJsonAsync($"/api/tickets/{ticketId}/status", new { status = "Resolved" })).EnsureSuccessStatusCode();
        await ticket.ReloadUntilAsync(visit.Page.GetByRole(AriaRole.Region, new() { Name = "Your opinion" }));
        await visit.ShowsAsync("portal-ticket-resolved");
        await ticket.RateAsync(4, "Quick and friendly.");
        await Expect(visit.Page.GetByText("You rated this request 4 out of 5. Thank you.")).ToBeVisibleAsync();

        var rated = await portal.Platform.Gateway.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}");
        rated.GetProperty("rating").GetInt32().ShouldBe(4);
        rated.GetProperty("ratingComment").GetString().ShouldBe("Quick and friendly.");
        rated.GetProperty("requesterId").GetGuid().ShouldBe(userId);
        var files = await portal.Platform.Gateway.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}/attachments");
        files.EnumerateArray().Select(f => (f.GetProperty("fileName").GetString(), f.GetProperty("sizeBytes").GetInt64()))
            .ShouldBe([("charger.jpg", 3 * 1024L), ("error-log.txt", 1536L), ("socket.png", 2048L)], ignoreOrder: true);
    }

    private static FilePayload File(string name, int size) => new()
    {
        Name = name,
        MimeType = name.EndsWith(".txt") ? "text/plain" : name.EndsWith(".png") ? "image/png" : "image/jpeg",
        Buffer = Encoding.ASCII.GetBytes(new string('x', size)),
    };
}
