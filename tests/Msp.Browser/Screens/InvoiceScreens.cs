namespace Msp.Browser.Screens;

/// <summary>/portal/company/invoices: the issued invoices.</summary>
public sealed class InvoicesScreen(Visit visit)
{
    public async Task<InvoicesScreen> OpenAsync()
    {
        await visit.GoAsync("/portal/company/invoices");
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Invoices", Level = 1 })).ToBeVisibleAsync();
        return this;
    }

    public async Task<InvoiceScreen> OpenInvoiceAsync(string number)
    {
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = number }).ClickAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = $"Invoice {number}" })).ToBeVisibleAsync();
        return new InvoiceScreen(visit);
    }
}

/// <summary>/portal/company/invoices/{id}: one invoice with its lines, printable.</summary>
public sealed class InvoiceScreen(Visit visit)
{
    public ILocator Lines => visit.Page.GetByRole(AriaRole.Table, new() { Name = "What is invoiced" });

    public ILocator Print => visit.Page.GetByRole(AriaRole.Button, new() { Name = "Print" });
}
