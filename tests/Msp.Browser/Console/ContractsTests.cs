using System.Net.Http.Json;
using System.Text.Json;

namespace Msp.Browser.Console;

/// <summary>Issue 21, contracts on screen: an operator adds a block-hours contract with an SLA credit rule (a bad figure
/// refused beside its field), buys a block and sees the balance move, adds a per-user managed-services contract and
/// changes its quantity from a date, and ends it; each step checked against the Billing API's figures.</summary>
[Collection(nameof(PortalCollection))]
public sealed class ContractsTests(PortalFixture portal)
{
    [Fact]
    public async Task AnOperator_AddsChangesAndEndsContracts_OnTheClientsPage_WithTheApisFigures()
    {
        var operatorPerson = await portal.StaffAsync("Operator", "Olga Operator");
        var api = operatorPerson.Api;
        var tenant = await portal.TenantAsync("GB", "Europe/London");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var start = new DateOnly(today.Year, today.Month, 1);
        await using var visit = await portal.SignedInVisitAsync(operatorPerson);
        await visit.GoAsync($"/console/clients/{tenant}?tab=contracts");
        var form = visit.Page.GetByRole(AriaRole.Region, new() { Name = "New contract" });

        // A block-hours contract: the kind chosen shows its fields; a cap below the credit per breach is refused beside it.
        await form.GetByLabel("Kind").SelectOptionAsync("BlockHours");
        await form.GetByRole(AriaRole.Button, new() { Name = "Show its fields" }).ClickAsync();
        await Expect(form.GetByLabel("Overage rate (per hour beyond the blocks)")).ToBeVisibleAsync();
        await Expect(form.GetByLabel("Monthly price per unit")).ToHaveCountAsync(0);
        await form.GetByLabel("Contract", new() { Exact = true }).FillAsync("Prepaid support");
        await form.GetByLabel("First day").FillAsync($"{start:yyyy-MM-dd}");
        await form.GetByLabel("Hours").FillAsync("10");
        await form.GetByLabel("Price").FillAsync("900");
        await form.GetByLabel("Overage rate (per hour beyond the blocks)").FillAsync("120");
        await form.GetByLabel("Percent per breach").FillAsync("10");
        await form.GetByLabel("At most (percent of the invoice)").FillAsync("5");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add the contract" }).ClickAsync();

        var cap = form.GetByLabel("At most (percent of the invoice)");
        await Expect(visit.Page.Locator("[id='slaCredit.capPercent-error']")).ToHaveTextAsync("SlaCredit.CapPercent is between PercentPerBreach and 100.");
        (await cap.GetAttributeAsync("aria-describedby"))!.ShouldContain("slaCredit.capPercent-error");
        await Expect(form.GetByLabel("Contract", new() { Exact = true })).ToHaveValueAsync("Prepaid support");
        (await ContractsAsync(api, tenant)).ShouldBeEmpty("a refused contract is not added");
        await visit.ShowsAsync("console-contracts-refused");

        await cap.FillAsync("20");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add the contract" }).ClickAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The contract Prepaid support is added.");
        var prepaid = (await ContractsAsync(api, tenant)).Single();
        prepaid.GetProperty("kind").GetString().ShouldBe("BlockHours");
        prepaid.GetProperty("slaCredit").GetProperty("percentPerBreach").GetDecimal().ShouldBe(10m);
        prepaid.GetProperty("slaCredit").GetProperty("capPercent").GetDecimal().ShouldBe(20m);
        prepaid.GetProperty("overageRate").GetDecimal().ShouldBe(120m);
        await Expect(BalanceRow(visit, "Prepaid support")).ToContainTextAsync("10.00");
        (await HoursBoughtAsync(api, tenant)).ShouldBe(10m);

        // A block bought: the balance moves on the page as in the API.
        await visit.Page.GetByText("Change Prepaid support").ClickAsync();
        var changes = visit.Page.Locator("details").Filter(new() { HasText = "Change Prepaid support" });
        await changes.GetByLabel("Hours").FillAsync("5");
        await changes.GetByLabel("Price").FillAsync("450");
        await changes.GetByRole(AriaRole.Button, new() { Name = "Buy the block" }).ClickAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Prepaid support: a block of 5.0 h is bought.");
        (await HoursBoughtAsync(api, tenant)).ShouldBe(15m);
        await Expect(BalanceRow(visit, "Prepaid support")).ToContainTextAsync("15.00");

        // A managed-services contract per user, its quantity changed from next month on.
        await form.GetByLabel("Kind").SelectOptionAsync("ManagedServices");
        await form.GetByRole(AriaRole.Button, new() { Name = "Show its fields" }).ClickAsync();
        await Expect(form.GetByLabel("Monthly price per unit")).ToBeVisibleAsync();
        await form.GetByLabel("Contract", new() { Exact = true }).FillAsync("Managed desktops");
        await form.GetByLabel("First day").FillAsync($"{start:yyyy-MM-dd}");
        await form.GetByLabel("Billed").SelectOptionAsync("PerUser");
        await form.GetByLabel("Monthly price per unit").FillAsync("25");
        await form.GetByLabel("Quantity").FillAsync("10");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add the contract" }).ClickAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The contract Managed desktops is added.");
        var managed = (await ContractsAsync(api, tenant)).Single(c => c.GetProperty("name").GetString() == "Managed desktops");
        managed.GetProperty("fee").GetProperty("unit").GetString().ShouldBe("PerUser");
        managed.GetProperty("fee").GetProperty("monthlyUnitPrice").GetDecimal().ShouldBe(25m);

        var nextMonth = start.AddMonths(1);
        await visit.Page.GetByText("Change Managed desktops").ClickAsync();
        var managedChanges = visit.Page.Locator("details").Filter(new() { HasText = "Change Managed desktops" });
        await managedChanges.GetByLabel("From").FillAsync($"{nextMonth:yyyy-MM-dd}");
        await managedChanges.GetByLabel("Quantity").FillAsync("12");
        await managedChanges.GetByRole(AriaRole.Button, new() { Name = "Change the quantity" }).ClickAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Managed desktops: the quantity is 12 from");
        managed = await api.GetFromJsonAsync<JsonElement>($"/api/billing/contracts/{managed.GetProperty("id").GetGuid()}");
        managed.GetProperty("fee").GetProperty("quantities").EnumerateArray()
            .Select(q => (q.GetProperty("effectiveFrom").GetString(), q.GetProperty("quantity").GetDecimal()))
            .ShouldBe([($"{start:yyyy-MM-dd}", 10m), ($"{nextMonth:yyyy-MM-dd}", 12m)]);
        await Expect(ContractRow(visit, "Managed desktops")).ToContainTextAsync("× 12");
        await visit.ShowsAsync("console-contracts");

        // Ended on the last day of next month: the API and the page say so, and its changes are no longer offered.
        var lastDay = nextMonth.AddMonths(1).AddDays(-1);
        await visit.Page.GetByText("Change Managed desktops").ClickAsync();
        managedChanges = visit.Page.Locator("details").Filter(new() { HasText = "Change Managed desktops" });
        await managedChanges.GetByLabel("Last day").FillAsync($"{lastDay:yyyy-MM-dd}");
        await managedChanges.GetByRole(AriaRole.Button, new() { Name = "End the contract" }).ClickAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Managed desktops ends on");
        managed = await api.GetFromJsonAsync<JsonElement>($"/api/billing/contracts/{managed.GetProperty("id").GetGuid()}");
        managed.GetProperty("status").GetString().ShouldBe("Ended");
        managed.GetProperty("endsOn").GetString().ShouldBe($"{lastDay:yyyy-MM-dd}");
        await Expect(ContractRow(visit, "Managed desktops")).ToContainTextAsync("Ended");
        await Expect(visit.Page.GetByText("Change Managed desktops")).ToHaveCountAsync(0);

        // The same tab in French (the operator's profile language) on a phone.
        (await api.PutAsJsonAsync("/api/auth/me/profile", new { displayName = operatorPerson.DisplayName, language = "fr", timeZone = "Europe/Paris" })).EnsureSuccessStatusCode();
        await using var phone = await portal.SignedInVisitAsync(operatorPerson, "en-GB", phone: true);
        await phone.GoAsync($"/console/clients/{tenant}?tab=contracts&kind=BlockHours");
        await Expect(phone.Page.GetByRole(AriaRole.Heading, new() { Name = "Nouveau contrat" })).ToBeVisibleAsync();
        await phone.ShowsAsync("console-contracts");
    }

    private static ILocator BalanceRow(Visit visit, string name) =>
        visit.Page.GetByRole(AriaRole.Table, new() { Name = "Prepaid hours" }).GetByRole(AriaRole.Row).Filter(new() { HasText = name });

    private static ILocator ContractRow(Visit visit, string name) =>
        visit.Page.GetByRole(AriaRole.Table, new() { Name = "The client's contracts" }).GetByRole(AriaRole.Row).Filter(new() { HasText = name });

    private static async Task<List<JsonElement>> ContractsAsync(HttpClient api, Guid tenant) =>
        [.. (await api.GetFromJsonAsync<JsonElement>($"/api/billing/contracts?tenantId={tenant}")).GetProperty("items").EnumerateArray()];

    private static async Task<decimal> HoursBoughtAsync(HttpClient api, Guid tenant) =>
        (await api.GetFromJsonAsync<JsonElement>($"/api/billing/tenants/{tenant}/block-hours")).GetProperty("contracts").EnumerateArray()
            .Single().GetProperty("hoursBought").GetDecimal();
}
