namespace Msp.Browser.Screens;

/// <summary>/portal/tickets/{id}: the ticket, its promises, the public conversation, replying, closing and rating.</summary>
public sealed class TicketScreen(Visit visit)
{
    public async Task<TicketScreen> OpenAsync(Guid id)
    {
        await visit.GoAsync($"/portal/tickets/{id}");
        return this;
    }

    public ILocator Heading => visit.Page.GetByRole(AriaRole.Heading, new() { Level = 1 });

    public ILocator Notice => visit.Page.GetByRole(AriaRole.Status);

    public ILocator Promises => visit.Page.GetByRole(AriaRole.Region, new() { Name = "When to expect us" });

    public ILocator Conversation => visit.Page.GetByRole(AriaRole.Region, new() { Name = "Conversation" });

    public ILocator Description => visit.Page.GetByRole(AriaRole.Region, new() { Name = "Description" });

    public Guid Id => Guid.Parse(new Uri(visit.Page.Url).AbsolutePath.Split('/').Last());

    /// <summary>What a person does while waiting for news: reload the page until it shows.</summary>
    public async Task ReloadUntilAsync(ILocator shown, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (!await shown.IsVisibleAsync())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The page never showed {shown}.");
            }

            await visit.Page.ReloadAsync();
        }
    }

    public async Task ReplyAsync(string body, params FilePayload[] files)
    {
        await visit.Page.GetByLabel("Your reply").FillAsync(body);
        if (files.Length > 0)
        {
            await visit.Page.GetByLabel("Attachments").SetInputFilesAsync(files);
        }

        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await Expect(Notice).ToHaveTextAsync("Your reply was sent.");
    }

    public async Task RateAsync(int score, string comment)
    {
        var rating = visit.Page.GetByRole(AriaRole.Region, new() { Name = "Your opinion" });
        await rating.GetByRole(AriaRole.Radio, new() { Name = score.ToString(), Exact = false }).First.CheckAsync();
        await rating.GetByLabel("Comment (optional)").FillAsync(comment);
        await rating.GetByRole(AriaRole.Button, new() { Name = "Send my rating" }).ClickAsync();
        await Expect(Notice).ToHaveTextAsync("Thank you for your rating.");
    }
}
