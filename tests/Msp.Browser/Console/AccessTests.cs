using System.Net.Http.Json;
using System.Text.Json;

namespace Msp.Browser.Console;

/// <summary>Acceptance 5 of issue 21: the console is for Operators and Admins; Technicians and client roles get the
/// "not allowed" page with nothing of the data on it; the staff pages are Admins' alone.</summary>
[Collection(nameof(PortalCollection))]
public sealed class AccessTests(PortalFixture portal)
{
    private static readonly string[] ConsolePages = ["/console", "/console/clients", "/console/clients/new", "/console/invoicing", "/console/staff"];

    [Fact]
    public async Task TechniciansAndClientRoles_AreRefusedEveryConsolePage_AndSeeNothingOfItsData()
    {
        var (tenant, _) = await portal.TenantAsync();
        var name = (await portal.Platform.Gateway.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenant}")).GetProperty("name").GetString()!;
        var people = new[]
        {
            await portal.TechnicianAsync(tenant),
            await portal.ClientAsync(tenant, "ClientAdmin", "Cleo Clientadmin"),
            await portal.ClientAsync(tenant, "ClientUser", "Carl Clientuser"),
        };
        var pages = ConsolePages.Append($"/console/clients/{tenant}").ToArray();
        foreach (var person in people)
        {
            await using var visit = await portal.SignedInVisitAsync(person);
            foreach (var path in pages)
            {
                var response = await visit.GoAsync(path);
                response!.Status.ShouldBe(403, $"{person.DisplayName} on {path}");
                await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed", Level = 1 })).ToBeVisibleAsync();
                await Expect(visit.Page.GetByRole(AriaRole.Table)).ToHaveCountAsync(0);
                await Expect(visit.Page.GetByRole(AriaRole.Link, new() { Name = "Console" })).ToHaveCountAsync(0);
                (await visit.Page.ContentAsync()).ShouldNotContain(name, customMessage: $"{person.DisplayName} on {path}");
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

            var refused = await visit.GoAsync("/console/staff");
            refused!.Status.ShouldBe(403);
            await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed", Level = 1 })).ToBeVisibleAsync();
            await Expect(visit.Page.GetByRole(AriaRole.Table)).ToHaveCountAsync(0);
            (await visit.Page.ContentAsync()).ShouldNotContain(operatorPerson.Email);
            await visit.ShowsAsync("console-not-allowed");
        }

        var admin = await portal.StaffAsync("Admin", "Ada Admin");
        await using var adminVisit = await portal.SignedInVisitAsync(admin);
        (await adminVisit.GoAsync($"/console/staff?q={Uri.EscapeDataString(operatorPerson.Email)}"))!.Status.ShouldBe(200);
        await Expect(adminVisit.Page.GetByRole(AriaRole.Heading, new() { Name = "Staff", Level = 1 })).ToBeVisibleAsync();
        await Expect(adminVisit.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = operatorPerson.Email })).ToHaveCountAsync(1);
        await adminVisit.ShowsAsync("console-staff");
    }
}
