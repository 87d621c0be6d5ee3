namespace Msp.Browser.Screens;

/// <summary>/account/signin: e-mail, password, and the notices that lead there.</summary>
public sealed class SignInScreen(Visit visit)
{
    public async Task<SignInScreen> OpenAsync()
    {
        await visit.GoAsync("/account/signin");
        return this;
    }

    public ILocator Heading => visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 });

    public ILocator Notice => visit.Page.GetByRole(AriaRole.Status);

    /// <summary>Signs in and waits until the portal has taken the user somewhere else.</summary>
    public async Task SignInAsync(string email, string password)
    {
        await Expect(Heading).ToBeVisibleAsync();
        await visit.Page.GetByLabel("E-mail address").FillAsync(email);
        await visit.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await visit.Page.WaitForURLAsync(url => !url.Contains("/account/signin"));
    }
}
