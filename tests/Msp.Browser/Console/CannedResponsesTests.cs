using System.Net.Http.Json;
using System.Text.Json;

namespace Msp.Browser.Console;

/// <summary>Issue 20, canned responses: Operators keep them on a console page (a text naming an unknown placeholder is
/// refused beside the field), a technician finds and inserts one from a ticket's compose box filled for the ticket, and
/// a technician may not open the page.</summary>
[Collection(nameof(PortalCollection))]
public sealed class CannedResponsesTests(PortalFixture portal)
{
    [Fact]
    public async Task AnOperatorAddsACannedResponse_WhichATechnicianInsertsFilledForTheTicket_ButMayNotKeep()
    {
        var (tenant, _) = await portal.TenantAsync();
        var client = await portal.ClientAsync(tenant, "ClientUser", "Greta Green");
        var technician = await portal.TechnicianAsync(tenant);
        var (ticketId, reference) = await PortalFixture.OpenTicketAsync(client, "Scanner offline");
        var word = "scan" + Guid.NewGuid().ToString("N")[..6];
        var operatorPerson = await portal.StaffAsync("Operator", "Otto Operator");

        await using (var visit = await portal.SignedInVisitAsync(operatorPerson))
        {
            await visit.GoAsync("/console");
            await visit.Page.GetByRole(AriaRole.Navigation, new() { Name = "Console" }).GetByRole(AriaRole.Link, new() { Name = "Canned responses" }).ClickAsync();
            await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Canned responses", Level = 1 })).ToBeVisibleAsync();
            await Expect(visit.Page.Locator(".placeholders")).ToContainTextAsync("{requester.firstName}");

            // A placeholder Tickets does not know is refused, and the refusal is beside the text.
            var add = visit.Page.GetByRole(AriaRole.Region, new() { Name = "Add a canned response" });
            await add.GetByLabel("Title", new() { Exact = true }).FillAsync($"Scanner {word}");
            await add.GetByLabel("Text", new() { Exact = true }).FillAsync("Hi {requester.nickname}, the scanner is back.");
            await add.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
            await Expect(add.Locator("#body-error")).ToContainTextAsync("{requester.nickname}");
            await Expect(add.GetByLabel("Text", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
            await Expect(add.GetByLabel("Title", new() { Exact = true })).ToHaveValueAsync($"Scanner {word}");
            await visit.ShowsAsync("console-canned-refused");

            await add.GetByLabel("Text", new() { Exact = true }).FillAsync("Hi {requester.firstName}, the scanner is back ({ticket.reference}).");
            await add.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
            await Expect(visit.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("The canned response was added.");

            // Found by the search, changed in place.
            await visit.Page.GetByLabel("Search titles and texts").FillAsync(word);
            await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
            var item = visit.Page.GetByRole(AriaRole.Article, new() { Name = $"Scanner {word}" });
            await Expect(item).ToHaveCountAsync(1);
            await item.GetByText("Edit").ClickAsync();
            await item.GetByLabel("Text").FillAsync("Hello {requester.firstName}, the scanner is back ({ticket.reference}).");
            await item.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await Expect(visit.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("The canned response was saved.");
            await Expect(visit.Page.GetByRole(AriaRole.Article, new() { Name = $"Scanner {word}" })).ToContainTextAsync("Hello {requester.firstName}");
            await visit.ShowsAsync("console-canned");
        }

        var stored = await technician.Api.GetFromJsonAsync<JsonElement>($"/api/tickets/canned-responses?q={word}");
        stored.GetProperty("items")[0].GetProperty("body").GetString().ShouldBe("Hello {requester.firstName}, the scanner is back ({ticket.reference}).");

        await using (var tech = await portal.SignedInVisitAsync(technician))
        {
            await tech.GoAsync($"/desk/tickets/{ticketId}");
            await tech.Page.GetByLabel("Find a canned response").FillAsync(word);
            await tech.Page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
            await tech.Page.GetByRole(AriaRole.Button, new() { Name = "Insert" }).ClickAsync();
            await Expect(tech.Page.GetByLabel("Message")).ToHaveValueAsync($"Hello Greta, the scanner is back ({reference}).");

            var refused = await tech.GoAsync("/console/canned-responses");
            refused!.Status.ShouldBe(403);
            await Expect(tech.Page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed", Level = 1 })).ToBeVisibleAsync();
            (await tech.Page.ContentAsync()).ShouldNotContain(word);
        }

        // In French on a phone (the profile's language wins once signed in): deleted, technicians no longer find it.
        (await operatorPerson.Api.PutAsJsonAsync("/api/auth/me/profile", new { displayName = operatorPerson.DisplayName, language = "fr", timeZone = "Europe/Paris" })).EnsureSuccessStatusCode();
        await using (var visit = await portal.SignedInVisitAsync(operatorPerson, phone: true))
        {
            await visit.GoAsync($"/console/canned-responses?q={word}");
            await visit.ShowsAsync("console-canned");
            await visit.Page.GetByRole(AriaRole.Button, new() { Name = $"Supprimer Scanner {word}" }).ClickAsync();
            await Expect(visit.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("La réponse type a été supprimée");
        }

        (await technician.Api.GetFromJsonAsync<JsonElement>($"/api/tickets/canned-responses?q={word}")).GetProperty("items").GetArrayLength().ShouldBe(0);
    }
}
