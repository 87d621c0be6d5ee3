namespace Msp.Browser.Screens;

/// <summary>/portal/company: the service level of recent months as a chart and a table, and prepaid hours.</summary>
public sealed class CompanyScreen(Visit visit)
{
    public async Task<CompanyScreen> OpenAsync()
    {
        await visit.GoAsync("/portal/company");
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Your company", Level = 1 })).ToBeVisibleAsync();
        return this;
    }

    public ILocator Chart => visit.Page.GetByRole(AriaRole.Img, new() { Name = "Tickets handled in time and late, per month" });

    public ILocator MonthRow(string month) => visit.Page.GetByRole(AriaRole.Row).Filter(new() { Has = visit.Page.GetByRole(AriaRole.Rowheader, new() { Name = month }) });

    public ILocator Hours => visit.Page.GetByRole(AriaRole.Region, new() { Name = "Prepaid hours" });
}
