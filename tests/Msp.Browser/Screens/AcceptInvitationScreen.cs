namespace Msp.Browser.Screens;

/// <summary>/account/accept?token=…: the invited user chooses a password.</summary>
public sealed class AcceptInvitationScreen(Visit visit)
{
    public async Task<AcceptInvitationScreen> OpenAsync(string token)
    {
        await visit.GoAsync($"/account/accept?token={Uri.EscapeDataString(token)}");
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Accept your invitation" })).ToBeVisibleAsync();
        return this;
    }

    public async Task SetPasswordAsync(string password)
    {
        await visit.Page.GetByLabel("New password", new() { Exact = true }).FillAsync(password);
        await visit.Page.GetByLabel("Type the new password again").FillAsync(password);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Set my password" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account/signin?notice=accepted");
    }
}
