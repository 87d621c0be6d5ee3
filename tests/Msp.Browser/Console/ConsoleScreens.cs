using System.Globalization;

namespace Msp.Browser.Console;

/// <summary>/console/clients/new and a client's page: creating a client, inviting its people.</summary>
public sealed class ClientScreens(Visit visit)
{
    public async Task CreateAsync(string name, string slug)
    {
        await visit.GoAsync("/console/clients");
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Clients", Level = 1 })).ToBeVisibleAsync();
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "New client" }).ClickAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "New client", Level = 1 })).ToBeVisibleAsync();
        await visit.ShowsAsync("console-client-new");
        await visit.Page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await visit.Page.GetByLabel("Short name").FillAsync(slug);
        await visit.Page.GetByLabel("Country").FillAsync("GB");
        await visit.Page.GetByLabel("Time zone").FillAsync("Europe/London");
        await visit.Page.GetByLabel("Contact's name").FillAsync("Clara Contact");
        await visit.Page.GetByLabel("E-mail address").FillAsync("clara@" + slug + ".test");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Create the client" }).ClickAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = name, Level = 1 })).ToBeVisibleAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("The client is created");
    }

    /// <summary>Invites someone from the client's users tab and answers the invitation's token from the link shown.</summary>
    public async Task<string> InviteAsync(string email, string name, string role)
    {
        var form = visit.Page.GetByRole(AriaRole.Region, new() { Name = "Invite someone from this client" });
        await form.GetByLabel("E-mail address").FillAsync(email);
        await form.GetByLabel("Name").FillAsync(name);
        await form.GetByLabel("Role").SelectOptionAsync(role);
        await form.GetByRole(AriaRole.Button, new() { Name = "Send the invitation" }).ClickAsync();
        var link = visit.Page.GetByRole(AriaRole.Status).Locator("code");
        await Expect(link).ToContainTextAsync("/account/accept?token=");
        var url = new Uri((await link.InnerTextAsync()).Trim());
        return Uri.UnescapeDataString(url.Query["?token=".Length..]);
    }
}

/// <summary>/console/invoicing and an invoice's pages.</summary>
public sealed class InvoicingScreens(Visit visit)
{
    public async Task RunAsync(string period)
    {
        await visit.GoAsync("/console/invoicing");
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Invoicing", Level = 1 })).ToBeVisibleAsync();
        await visit.Page.GetByLabel("Month", new() { Exact = true }).First.FillAsync(period);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Run the month" }).ClickAsync();

        // The run goes on in the background; its page follows it with a progress bar until every client is done.
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Invoice run:");
        var bar = visit.Page.GetByRole(AriaRole.Progressbar);
        await Expect(bar).ToBeVisibleAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("is invoiced", new() { Timeout = 60_000 });
        var total = await bar.GetAttributeAsync("max");
        int.Parse(total!, CultureInfo.InvariantCulture).ShouldBeGreaterThan(0);
        (await bar.GetAttributeAsync("value")).ShouldBe(total, "every client is done");
        await Expect(visit.Page.GetByText($"{total} of {total} clients invoiced (100 %)")).ToBeVisibleAsync();
        await visit.ShowsAsync("console-invoice-run");
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "The month's invoices" }).ClickAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Invoicing", Level = 1 })).ToBeVisibleAsync();
    }

    public ILocator Row(string text) => visit.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = text });

    /// <summary>The invoice's lines as the page shows them: description and amount cells.</summary>
    public async Task<List<(string Description, string Amount)>> LinesAsync()
    {
        var rows = visit.Page.Locator("table.lines tbody tr");
        var lines = new List<(string, string)>();
        for (var i = 0; i < await rows.CountAsync(); i++)
        {
            var cells = rows.Nth(i).Locator("td");
            lines.Add(((await cells.Nth(0).InnerTextAsync()).Trim(), (await cells.Nth(4).InnerTextAsync()).Trim()));
        }

        return lines;
    }

    public async Task<string> TotalAsync() => (await visit.Page.Locator("table.lines tfoot tr.total td").InnerTextAsync()).Trim();
}
