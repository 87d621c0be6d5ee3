using Msp.Browser.Console;
using Msp.Browser.Screens;

namespace Msp.Browser.Desk;

/// <summary>The desk keeps its lists for 30 s per user (decision 0126); a post to the console forgets the poster's, so
/// an Admin who deactivates a technician no longer finds them among the queue's assignees on the next page.</summary>
[Collection(nameof(PortalCollection))]
public sealed class ReferenceListsTests(PortalFixture portal)
{
    [Fact]
    public async Task AnAdminWhoDeactivatesATechnicianInTheConsole_NoLongerSeesThemAmongTheQueuesAssignees()
    {
        var (tenant, _) = await portal.TenantAsync();
        var technician = await portal.TechnicianAsync(tenant);
        var admin = await portal.StaffAsync("Admin", "Ada Admin");
        await using var visit = await portal.SignedInVisitAsync(admin);

        var assignee = visit.Page.Locator($"#assignee option[value='{technician.Id}']");
        await new DeskQueueScreen(visit).OpenAsync("?view=open");
        await Expect(assignee).ToHaveCountAsync(1);

        await visit.GoAsync($"/console/staff/{technician.Id}");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Deactivate" }).ClickAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("They can no longer sign in");

        await new DeskQueueScreen(visit).OpenAsync("?view=open");
        await Expect(assignee).ToHaveCountAsync(0);
    }
}
