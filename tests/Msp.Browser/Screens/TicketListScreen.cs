namespace Msp.Browser.Screens;

/// <summary>/portal: the user's (or the company's) tickets, with the open/closed/all and mine/all-company filters.</summary>
public sealed class TicketListScreen(Visit visit)
{
    public async Task<TicketListScreen> OpenAsync(string query = "")
    {
        await visit.GoAsync("/portal/tickets" + query);
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        return this;
    }

    public ILocator Table => visit.Page.GetByRole(AriaRole.Table);

    public ILocator Row(string reference) => visit.Page.GetByRole(AriaRole.Row).Filter(new() { Has = visit.Page.GetByRole(AriaRole.Link, new() { Name = reference, Exact = true }) });

    public Task OpenTicketAsync(string reference) => visit.Page.GetByRole(AriaRole.Link, new() { Name = reference, Exact = true }).ClickAsync();

    /// <summary>A ClientAdmin's switch to every ticket of the company (and every status).</summary>
    public async Task ShowAllCompanyAsync()
    {
        await visit.Page.GetByLabel("All company").CheckAsync();
        await visit.Page.GetByLabel("All", new() { Exact = true }).CheckAsync();
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Your company's tickets" })).ToBeVisibleAsync();
    }
}
