using Msp.Web.Live;

namespace Msp.Web.Tests.Live;

public sealed class LiveFeedTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(20);

    [Fact]
    public async Task EveryLivePage_HearsEachChange_AndABurstOfOneTicketComesOnce()
    {
        var feed = new LiveFeed();
        using var first = feed.Subscribe();
        using var second = feed.Subscribe();
        var (tenant, ticket, other) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        feed.Publish(new TicketChange(tenant, ticket));
        feed.Publish(new TicketChange(tenant, ticket));
        feed.Publish(new TicketChange(tenant, other));

        foreach (var subscription in new[] { first, second })
        {
            (await subscription.NextAsync(Quiet, Gather, CancellationToken.None))
                .ShouldBe([new TicketChange(tenant, ticket), new TicketChange(tenant, other)], ignoreOrder: true);
        }
    }

    [Fact]
    public async Task NothingChanged_IsAnEmptyAnswerAfterTheQuietTime_AndAClosedPageHearsNoMore()
    {
        var feed = new LiveFeed();
        var page = feed.Subscribe();

        (await page.NextAsync(Quiet, Gather, CancellationToken.None)).ShouldBeEmpty();
        feed.Count.ShouldBe(1);
        page.Dispose();
        feed.Count.ShouldBe(0);
        feed.Publish(new TicketChange(Guid.NewGuid(), Guid.NewGuid())); // nobody listens: nothing to do, nothing thrown
    }

    [Fact]
    public async Task APageFarBehind_KeepsItsLatestChanges_WithoutHoldingUpTheOthers()
    {
        var feed = new LiveFeed();
        using var slow = feed.Subscribe();
        using var quick = feed.Subscribe();
        var tenant = Guid.NewGuid();
        var tickets = Enumerable.Range(0, 1000).Select(_ => Guid.NewGuid()).ToList();

        foreach (var ticket in tickets)
        {
            feed.Publish(new TicketChange(tenant, ticket));
        }

        var kept = await slow.NextAsync(Quiet, Gather, CancellationToken.None);
        kept.Count.ShouldBeLessThan(tickets.Count);
        kept.ShouldContain(new TicketChange(tenant, tickets[^1]));
        (await quick.NextAsync(Quiet, Gather, CancellationToken.None)).ShouldContain(new TicketChange(tenant, tickets[^1]));
    }
}
