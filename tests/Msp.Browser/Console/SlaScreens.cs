namespace Msp.Browser.Console;

/// <summary>/console/slas and its calendar and policy pages, and a client's SLA tab.</summary>
public sealed class SlaScreens(Visit visit)
{
    /// <summary>A week's range on the calendar page: day as shown ("Monday"), range from 1.</summary>
    public sealed record Range(string Day, int Slot, string Start, string End);

    public sealed record Holiday(string Date, string Name, bool EveryYear);

    public async Task OpenNewCalendarAsync()
    {
        await visit.GoAsync("/console/slas");
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Service levels", Level = 1 })).ToBeVisibleAsync();
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "New calendar" }).ClickAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "New calendar", Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>Fills the calendar form: every range of the week emptied, then the ranges and closed days given.</summary>
    public async Task FillCalendarAsync(string name, string zone, IEnumerable<Range> ranges, IEnumerable<Holiday> holidays)
    {
        await visit.Page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await visit.Page.GetByLabel("Time zone").FillAsync(zone);
        foreach (var time in await visit.Page.Locator("input[type=time]").AllAsync())
        {
            await time.FillAsync("");
        }

        foreach (var range in ranges)
        {
            await visit.Page.GetByLabel($"{range.Day}, range {range.Slot}, from").FillAsync(range.Start);
            await visit.Page.GetByLabel($"{range.Day}, range {range.Slot}, to").FillAsync(range.End);
        }

        var row = 1;
        foreach (var holiday in holidays)
        {
            await visit.Page.GetByLabel($"Closed day {row}, date").FillAsync(holiday.Date);
            await visit.Page.GetByLabel($"Closed day {row}, name").FillAsync(holiday.Name);
            await visit.Page.GetByLabel($"Closed day {row}, every year").SetCheckedAsync(holiday.EveryYear);
            row++;
        }
    }

    /// <summary>Submits the calendar form and answers the calendar's id once the page says it is saved.</summary>
    public async Task<Guid> SaveCalendarAsync(string button = "Create the calendar")
    {
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Status)).ToContainTextAsync(button == "Save" ? "The calendar is saved" : "The calendar is created");
        return Guid.Parse(new Uri(visit.Page.Url).AbsolutePath.Split('/')[4]);
    }

    /// <summary>Creates a policy on its page: every priority's targets in minutes, and whether each runs around the clock.</summary>
    public async Task<Guid> CreatePolicyAsync(string name, string calendar, int warningPercent, IReadOnlyDictionary<string, (int Response, int Resolution, bool AroundTheClock)> targets)
    {
        await visit.GoAsync("/console/slas");
        var link = await visit.Page.GetByRole(AriaRole.Link, new() { Name = "New policy" }).GetAttributeAsync("href");
        await visit.GoAsync(link!);
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "New policy", Level = 1 })).ToBeVisibleAsync();
        await visit.Page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await visit.Page.GetByLabel("Calendar", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = calendar });
        await visit.Page.GetByLabel("Warning at (% of the target)").FillAsync(warningPercent.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (priority, (response, resolution, aroundTheClock)) in targets)
        {
            var row = visit.Page.GetByRole(AriaRole.Row).Filter(new() { Has = visit.Page.GetByRole(AriaRole.Rowheader, new() { Name = priority, Exact = true }) });
            await row.GetByRole(AriaRole.Spinbutton).Nth(0).FillAsync(response.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await row.GetByRole(AriaRole.Spinbutton).Nth(1).FillAsync(resolution.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await row.GetByRole(AriaRole.Checkbox).SetCheckedAsync(aroundTheClock);
        }

        await visit.ShowsAsync("console-sla-policy");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Create the policy" }).FocusAsync();
        await visit.Page.Keyboard.PressAsync("Enter");
        await Expect(visit.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("The policy is created");
        return Guid.Parse(new Uri(visit.Page.Url).AbsolutePath.Split('/')[4]);
    }

    /// <summary>On the client's SLA tab, puts the client on a policy and a calendar chosen by name.</summary>
    public async Task PutClientOnAsync(Guid tenant, string policy, string calendar)
    {
        await visit.GoAsync($"/console/clients/{tenant}?tab=sla");
        await visit.Page.GetByLabel("Policy", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = policy });
        await visit.Page.GetByLabel("Calendar", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = calendar });
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Put the client on them" }).ClickAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("The client's SLA is changed");
    }
}
