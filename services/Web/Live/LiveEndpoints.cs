using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Msp.Web.Api;

namespace Msp.Web.Live;

/// <summary><c>GET /live/tickets</c>: a server-sent event stream that names each ticket the signed-in user may see as
/// soon as it changes (<c>event: ticket</c>, the id as data). A change is sent only after the user's own call to the
/// Tickets API has answered 200 for that ticket, so a page never learns even the id of a ticket outside its user's scope;
/// the page then reloads what it shows through the same API (page.js). A comment-free <c>ping</c> keeps idle streams
/// open through the gateway and any proxy (decision 0093).</summary>
public static class LiveEndpoints
{
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(20);

    /// <summary>How long a change waits for others of the same burst (a bulk action, the clocks of a new ticket).</summary>
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(150);

    public static WebApplication MapLiveUpdates(this WebApplication app)
    {
        app.MapGet("/live/tickets", (HttpContext http, LiveFeed feed, TicketsApi tickets, ILogger<LiveFeed> logger) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            return TypedResults.ServerSentEvents(ChangesAsync(feed, tickets, logger, http.RequestAborted));
        }).RequireAuthorization();
        return app;
    }

    private static async IAsyncEnumerable<SseItem<string>> ChangesAsync(
        LiveFeed feed, TicketsApi tickets, ILogger logger, [EnumeratorCancellation] CancellationToken ct)
    {
        using var subscription = feed.Subscribe();
        yield return new SseItem<string>("", "ready");
        while (!ct.IsCancellationRequested)
        {
            IReadOnlyCollection<TicketChange> changes;
            try
            {
                changes = await subscription.NextAsync(KeepAlive, Gather, ct);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            if (changes.Count == 0)
            {
                yield return new SseItem<string>("", "ping");
                continue;
            }

            IReadOnlyList<Guid> visible;
            try
            {
                visible = await VisibleAsync(tickets, [.. changes.Select(c => c.TicketId).Distinct()], logger, ct);
            }
            catch (Exception e) when (e is SignInExpiredException or OperationCanceledException)
            {
                yield break; // the page's next request signs the user in again
            }

            foreach (var id in visible)
            {
                yield return new SseItem<string>(id.ToString(), "ticket");
            }
        }
    }

    private static async Task<IReadOnlyList<Guid>> VisibleAsync(TicketsApi tickets, IReadOnlyList<Guid> ids, ILogger logger, CancellationToken ct)
    {
        var checks = await Task.WhenAll(ids.Select(async id =>
        {
            try
            {
                return (Id: id, Visible: await tickets.VisibleAsync(id, ct));
            }
            catch (Exception e) when (e is HttpRequestException or ApiProblemException)
            {
                // Unknown is not visible: the page misses this change and shows it on its next one or its next load.
                logger.LogWarning(e, "Could not tell whether ticket {TicketId} may be shown live", id);
                return (Id: id, Visible: false);
            }
        }));
        return [.. checks.Where(c => c.Visible).Select(c => c.Id)];
    }
}
