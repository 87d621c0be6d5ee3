using System.Net.Http.Json;
using System.Text.Json;
using Msp.Browser.Screens;
using Msp.Testing;

namespace Msp.Browser.Desk;

/// <summary>Acceptance 4 of issue 20: a phone call becomes a ticket with source Phone for a newly added requester, the
/// technician's timer running.</summary>
[Collection(nameof(PortalCollection))]
public sealed class PhoneIntakeTests(PortalFixture portal)
{
    [Fact]
    public async Task ACallFromSomeoneNew_BecomesAPhoneTicketForThem_WithTheTimerRunning()
    {
        var (tenant, _) = await portal.TenantAsync();
        var technician = await portal.TechnicianAsync(tenant);
        var caller = $"caller-{Guid.NewGuid():N}"[..18] + "@portal.test";

        await using var visit = await portal.VisitAsync();
        await new SignInScreen(visit).OpenAsync();
        await new SignInScreen(visit).SignInAsync(technician.Email, technician.Password);
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Log a call or a visit" }).ClickAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Log a call or a visit");
        await visit.Page.GetByLabel("Client", new() { Exact = true }).SelectOptionAsync(tenant.ToString());
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(visit.Page.GetByLabel("Someone new")).ToBeCheckedAsync();
        await visit.ShowsAsync("desk-phone");

        // Refused until it says who calls and what about; nothing is created.
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Open the ticket" }).ClickAsync();
        await Expect(visit.Page.GetByText("Enter the new caller's name.")).ToBeVisibleAsync();
        await Expect(visit.Page.GetByText("Give your request a subject.")).ToBeVisibleAsync();
        (await technician.Api.GetFromJsonAsync<JsonElement>("/api/tickets")).GetProperty("items").GetArrayLength().ShouldBe(0);

        await visit.Page.GetByLabel("New caller's name").FillAsync("Pia Phone");
        await visit.Page.GetByLabel("New caller's e-mail address").FillAsync(caller);
        await visit.Page.GetByLabel("Subject").FillAsync("Cannot print the delivery notes");
        await visit.Page.GetByLabel("Description").FillAsync("Called at 9:10; the warehouse printer shows error 41.");
        await Expect(visit.Page.GetByLabel("Start my timer on the new ticket")).ToBeCheckedAsync();
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Open the ticket" }).ClickAsync();

        await Expect(visit.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("The ticket is open for the caller.");
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Cannot print the delivery notes");
        await Expect(visit.Page.Locator(".facts")).ToContainTextAsync("Pia Phone");
        await Expect(visit.Page.Locator(".facts")).ToContainTextAsync("Phone");
        await Expect(visit.Page.Locator(".timer-clock")).ToHaveAttributeAsync("data-running", "true");

        var id = Guid.Parse(new Uri(visit.Page.Url).AbsolutePath.Split('/')[^1]);
        var ticket = await technician.Api.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}");
        ticket.GetProperty("source").GetString().ShouldBe("Phone");
        var users = await portal.Platform.Gateway.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenant}/users?q={Uri.EscapeDataString(caller)}");
        var added = users.GetProperty("items").EnumerateArray().Single();
        added.GetProperty("role").GetString().ShouldBe("ClientUser");
        ticket.GetProperty("requesterId").GetGuid().ShouldBe(added.GetProperty("id").GetGuid());
        (await technician.Api.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}/timer")).GetProperty("running").GetBoolean().ShouldBeTrue();
    }
}
