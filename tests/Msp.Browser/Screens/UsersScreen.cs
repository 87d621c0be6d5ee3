namespace Msp.Browser.Screens;

/// <summary>/portal/company/users: inviting, and each user's resend, deactivate and reactivate.</summary>
public sealed class UsersScreen(Visit visit)
{
    public async Task<UsersScreen> OpenAsync()
    {
        await visit.GoAsync("/portal/company/users");
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Your company's users", Level = 1 })).ToBeVisibleAsync();
        return this;
    }

    public ILocator Notice => visit.Page.GetByRole(AriaRole.Status);

    public ILocator Row(string name) => visit.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = name });

    /// <summary>Invites someone and answers the link the page shows to pass on.</summary>
    public async Task<string> InviteAsync(string email, string name)
    {
        var form = visit.Page.GetByRole(AriaRole.Region, new() { Name = "Invite someone" });
        await form.GetByLabel("E-mail address").FillAsync(email);
        await form.GetByLabel("Name").FillAsync(name);
        await form.GetByRole(AriaRole.Button, new() { Name = "Invite" }).ClickAsync();
        return await LinkAsync();
    }

    public async Task<string> LinkAsync()
    {
        var link = Notice.Locator("code");
        await Expect(link).ToContainTextAsync("/account/");
        return (await link.InnerTextAsync()).Trim();
    }

    /// <summary>Presses one of a user's buttons (the button's accessible name also names the user).</summary>
    public Task ActAsync(string action, string name) =>
        visit.Page.GetByRole(AriaRole.Button, new() { Name = $"{action}: {name}" }).ClickAsync();
}
