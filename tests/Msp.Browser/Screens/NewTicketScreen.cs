namespace Msp.Browser.Screens;

/// <summary>/portal/tickets/new: subject, description, impact and urgency as questions, category, files.</summary>
public sealed class NewTicketScreen(Visit visit)
{
    public async Task<NewTicketScreen> OpenAsync()
    {
        await visit.GoAsync("/portal/tickets/new");
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Ask for help" })).ToBeVisibleAsync();
        return this;
    }

    public ILocator CapExplained => visit.Page.GetByText("each at most 25 MB");

    public ILocator ChosenFiles => visit.Page.Locator("#attachments-chosen li");

    public async Task FillAsync(string subject, string description, string whoIsAffected, string howBlocked)
    {
        await visit.Page.GetByLabel("Subject").FillAsync(subject);
        await visit.Page.GetByLabel("Description").FillAsync(description);
        await visit.Page.GetByRole(AriaRole.Group, new() { Name = "Who is affected?" }).GetByLabel(whoIsAffected).CheckAsync();
        await visit.Page.GetByRole(AriaRole.Group, new() { Name = "How much does it stop your work?" }).GetByLabel(howBlocked).CheckAsync();
    }

    public Task AttachAsync(params FilePayload[] files) => visit.Page.GetByLabel("Attachments").SetInputFilesAsync(files);

    /// <summary>Sends the request and waits for the new ticket's page.</summary>
    public async Task<TicketScreen> SubmitAsync()
    {
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Send my request" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/portal/tickets/*?notice=*");
        return new TicketScreen(visit);
    }
}
