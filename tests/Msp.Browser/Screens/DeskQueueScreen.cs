namespace Msp.Browser.Screens;

/// <summary>/desk: a member of staff's queue across the tenants in their scope, its views, filters, badges and bulk
/// change.</summary>
public sealed class DeskQueueScreen(Visit visit)
{
    public async Task<DeskQueueScreen> OpenAsync(string query = "")
    {
        await visit.GoAsync("/desk" + query);
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        return this;
    }

    public ILocator Table => visit.Page.Locator("table[data-queue]");

    public ILocator Rows => Table.Locator("tbody tr");

    /// <summary>The references of the rows, top to bottom.</summary>
    public async Task<IReadOnlyList<string>> ReferencesAsync() => await Rows.Locator("td:nth-child(4) a").AllInnerTextsAsync();

    public ILocator Row(string reference) => Rows.Filter(new() { Has = visit.Page.GetByRole(AriaRole.Link, new() { Name = reference, Exact = true }) });

    /// <summary>The badge's state class: running, warning, breached, paused or none.</summary>
    public async Task<string> BadgeStateAsync(string reference)
    {
        var classes = (await Row(reference).Locator(".time-left").GetAttributeAsync("class"))!.Split(' ');
        return classes.Single(c => c is "running" or "warning" or "breached" or "paused" or "none");
    }

    public Task SelectAsync(string reference) => Row(reference).Locator("input[type=checkbox]").CheckAsync();
}
