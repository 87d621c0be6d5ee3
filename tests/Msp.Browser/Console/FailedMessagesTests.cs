using System.Net.Http.Json;
using System.Text.Json;
using Msp.Testing;

namespace Msp.Browser.Console;

/// <summary>Acceptance 4 of issue 21: a message forced into an error queue appears on the failed-messages page, and
/// replaying it there applies its effect once; the page is Admins' alone.</summary>
[Collection(nameof(PortalCollection))]
public sealed class FailedMessagesTests(PortalFixture portal)
{
    [Fact]
    public async Task AnEventBillingCouldNotApply_IsShownToAnAdmin_AndReplayedFromThePage_IsAppliedOnce()
    {
        var billing = portal.Platform.Databases["billing"];
        var slug = "f" + Guid.NewGuid().ToString("N")[..12];
        var name = "Refused " + slug;
        // A cause an operator can remove: a rule on Billing's copy of the clients that refuses this one name.
        await billing.ScalarAsync<int>($"ALTER TABLE known_tenants ADD CONSTRAINT refuse_{slug} CHECK (name <> '{name}') NOT VALID; SELECT 1");
        var created = await portal.Platform.Gateway.PostAsJsonAsync("/api/tenants", new { name, slug, timeZone = "Europe/Rome", country = "IT" });
        created.EnsureSuccessStatusCode();
        var tenant = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var admin = await portal.StaffAsync("Admin", "Ada Admin");
        await using var visit = await portal.SignedInVisitAsync(admin);
        var row = visit.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = name });
        await Eventually.HoldsAsync(async () =>
        {
            await visit.GoAsync("/console/failed-messages");
            return await row.CountAsync() == 1;
        }, TimeSpan.FromSeconds(90), "Billing gives up on the event after its retries, and the page lists it");

        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Failed messages", Level = 1 })).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("TenantCreated");
        await Expect(row).ToContainTextAsync("billing-known-tenant-created");
        await Expect(row).ToContainTextAsync($"refuse_{slug}");
        (await billing.ScalarAsync<long>("SELECT count(*) FROM known_tenants WHERE id = $1", tenant)).ShouldBe(0);
        await visit.ShowsAsync("console-failed-messages");

        await billing.ScalarAsync<int>($"ALTER TABLE known_tenants DROP CONSTRAINT refuse_{slug}; SELECT 1");
        await row.GetByRole(AriaRole.Button, new() { Name = "Replay" }).ClickAsync();

        await Expect(visit.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The message is back in billing-known-tenant-created.");
        await Expect(row).ToHaveCountAsync(0);
        await Eventually.HoldsAsync(async () => await billing.ScalarAsync<long>("SELECT count(*) FROM known_tenants WHERE id = $1", tenant) == 1,
            TimeSpan.FromSeconds(30), "the replayed event is applied");
        (await billing.ScalarAsync<string>("SELECT name FROM known_tenants WHERE id = $1", tenant)).ShouldBe(name);
        (await billing.ScalarAsync<long>("SELECT count(*) FROM known_tenants WHERE id = $1", tenant)).ShouldBe(1, "applied once");
        await visit.GoAsync("/console/failed-messages");
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Failed messages", Level = 1 })).ToBeVisibleAsync();
        await Expect(row).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AnOperator_IsRefusedTheFailedMessagesPage_AndDoesNotSeeItInTheConsole()
    {
        var operatorPerson = await portal.StaffAsync("Operator", "Otto Operatore");
        await using var visit = await portal.SignedInVisitAsync(operatorPerson);

        (await visit.GoAsync("/console/failed-messages"))!.Status.ShouldBe(403);
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed", Level = 1 })).ToBeVisibleAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Table)).ToHaveCountAsync(0);
        (await visit.GoAsync("/console"))!.Status.ShouldBe(200);
        await Expect(visit.Page.GetByRole(AriaRole.Navigation, new() { Name = "Console" }).GetByRole(AriaRole.Link, new() { Name = "Failed messages" })).ToHaveCountAsync(0);
    }
}
