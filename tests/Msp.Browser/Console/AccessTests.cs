using System.Net.Http.Json;
using System.Text.Json;

namespace Msp.Browser.Console;

/// <summary>Acceptance 5 of issue 21: the console is for Operators and Admins; Technicians and client roles get the
/// "not allowed" page with nothing of the data on it; the staff pages are Admins' alone.</summary>
[Collection(nameof(PortalCollection))]
public sealed class AccessTests(PortalFixture portal)
{
    private static readonly string[] ConsolePages = ["/console", "/console/clients", "/console/clients/new", "/console/invoicing", "/console/reports", "/console/staff", "/console/failed-messages",
        "/console/canned-responses", "/console/slas", "/console/slas/calendars/new", "/console/slas/policies/new", "/console/slas/calendars/01930000-0000-7000-8000-00000000ca1e"];

    [Fact]
    public async Task TechniciansAndClientRoles_AreRefusedEveryConsolePage_AndSeeNothingOfItsData()
    {
        var (tenant, _) = await portal.TenantAsync();
        var (other, _) = await portal.TenantAsync();
        var otherName = (await portal.Platform.Gateway.GetFromJsonAsync<JsonElement>($"/api/tenants/{other}")).GetProperty("name").GetString()!;
        var people = new[]
        {
            await portal.TechnicianAsync(tenant),
            await portal.ClientAsync(tenant, "ClientAdmin", "Cleo Clientadmin"),
            await portal.ClientAsync(tenant, "ClientUser", "Carl Clientuser"),
        };
        var pages = ConsolePages.Append($"/console/clients/{other}").Append($"/console/clients/{tenant}").ToArray();
        foreach (var person in people)
        {
            await using var visit = await portal.SignedInVisitAsync(person);
            await visit.GoAsync("/not-allowed");
            var notAllowed = await visit.Page.Locator("main").InnerTextAsync();
            foreach (var path in pages)
            {
                var response = await visit.GoAsync(path);
                response!.Status.ShouldBe(403, $"{person.DisplayName} on {path}");
                await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed", Level = 1 })).ToBeVisibleAsync();
                await Expect(visit.Page.GetByRole(AriaRole.Table)).ToHaveCountAsync(0);
                await Expect(visit.Page.GetByRole(AriaRole.Link, new() { Name = "Console" })).ToHaveCountAsync(0);
                (await visit.Page.Locator("main").InnerTextAsync()).ShouldBe(notAllowed, $"{person.DisplayName} on {path}");
                (await visit.Page.ContentAsync()).ShouldNotContain(otherName, customMessage: $"{person.DisplayName} on {path}");
            }
        }
    }

    [Fact]
    public async Task AnOperator_OpensTheConsole_ButNotTheStaffPages_WhichAnAdminOpens()
    {
        var operatorPerson = await portal.StaffAsync("Operator", "Olivia Operator");
        await using (var visit = await portal.SignedInVisitAsync(operatorPerson))
        {
            await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Console" }).ClickAsync();
            await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Level = 1 })).ToBeVisibleAsync();
            await Expect(visit.Page.GetByRole(AriaRole.Navigation, new() { Name = "Console" }).GetByRole(AriaRole.Link, new() { Name = "Staff" })).ToHaveCountAsync(0);
            await visit.ShowsAsync("console-dashboard");

            (await visit.GoAsync("/console/reports"))!.Status.ShouldBe(200);
            await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Reports", Level = 1 })).ToBeVisibleAsync();
            await visit.ShowsAsync("console-reports");

            foreach (var path in new[] { "/console/staff", $"/console/staff/{operatorPerson.Id}" })
            {
                var refused = await visit.GoAsync(path);
                refused!.Status.ShouldBe(403, path);
                await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed", Level = 1 })).ToBeVisibleAsync();
                await Expect(visit.Page.GetByRole(AriaRole.Table)).ToHaveCountAsync(0);
                (await visit.Page.ContentAsync()).ShouldNotContain(operatorPerson.Email);
            }

            await visit.ShowsAsync("console-not-allowed");
        }

        var admin = await portal.StaffAsync("Admin", "Ada Admin");
        await using var adminVisit = await portal.SignedInVisitAsync(admin);
        (await adminVisit.GoAsync($"/console/staff?q={Uri.EscapeDataString(operatorPerson.Email)}"))!.Status.ShouldBe(200);
        await Expect(adminVisit.Page.GetByRole(AriaRole.Heading, new() { Name = "Staff", Level = 1 })).ToBeVisibleAsync();
        await Expect(adminVisit.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = operatorPerson.Email })).ToHaveCountAsync(1);
        await adminVisit.ShowsAsync("console-staff");

        // The Admin opens the operator's page and makes them a technician serving no client; the list says so.
        await adminVisit.Page.GetByRole(AriaRole.Link, new() { Name = "Olivia Operator" }).ClickAsync();
        await Expect(adminVisit.Page.GetByRole(AriaRole.Heading, new() { Name = "Olivia Operator", Level = 1 })).ToBeVisibleAsync();
        await adminVisit.Page.GetByRole(AriaRole.Combobox, new() { Name = "Role" }).SelectOptionAsync("Technician");
        await adminVisit.Page.GetByRole(AriaRole.Button, new() { Name = "Change the role" }).ClickAsync();
        await Expect(adminVisit.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("The role is changed");
        await Expect(adminVisit.Page.GetByRole(AriaRole.Checkbox, new() { Name = "All clients, including those added later" })).ToBeVisibleAsync();
        await adminVisit.ShowsAsync("console-staff-member");
        var member = await portal.Platform.Gateway.GetFromJsonAsync<JsonElement>($"/api/staff?q={Uri.EscapeDataString(operatorPerson.Email)}");
        member.GetProperty("items")[0].GetProperty("role").GetString().ShouldBe("Technician");
    }
}
