using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Msp.Web.Api;
using Msp.Web.Components;

namespace Msp.Web.Live;

/// <summary><c>GET /live/tickets</c>: a server-sent event stream that names each ticket the signed-in user may see as
/// soon as it changes (<c>event: ticket</c>, the id as data); the page then reloads what it shows through the API
/// (page.js). What the user may see is what the API says: at the start the stream reads the user's scope from
/// <c>/api/auth/me</c> with their own token (the tenants every service derives from it); staff get the changes of
/// those tenants' tickets; a client user gets a change only after <c>GET /api/tickets/{id}</c> as them answered 200 (a
/// ClientUser sees only their own tickets). A change of the user's access ends the stream; the browser reconnects and
/// the new stream reads the new scope. A <c>ping</c> every 20 s keeps idle streams open through the gateway
/// (decision 0093).</summary>
public static class LiveEndpoints
{
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(20);

    /// <summary>How long a change waits for others of the same burst (a bulk action, the clocks of a new ticket).</summary>
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(150);

    public static WebApplication MapLiveUpdates(this WebApplication app)
    {
        app.MapGet("/live/tickets", (HttpContext http, LiveFeed feed, TicketsApi tickets, TenantsApi tenants, ILogger<LiveFeed> logger) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            return TypedResults.ServerSentEvents(ChangesAsync(http, feed, tickets, tenants, logger, http.RequestAborted));
        }).RequireAuthorization();
        return app;
    }

    private static async IAsyncEnumerable<SseItem<string>> ChangesAsync(
        HttpContext http, LiveFeed feed, TicketsApi tickets, TenantsApi tenants, ILogger logger, [EnumeratorCancellation] CancellationToken ct)
    {
        // Subscribed before the scope is read, so that nothing between the two is missed.
        using var subscription = feed.Subscribe();
        Me me;
        try
        {
            me = await tenants.MeAsync(ct);
        }
        catch (Exception e) when (e is SignInExpiredException or OperationCanceledException or HttpRequestException or ApiProblemException)
        {
            yield break; // the page's next request signs the user in again; the browser retries the stream
        }

        var staff = http.User.IsStaff();
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

            if (changes.Any(c => c.ScopeOf == me.Id))
            {
                yield break; // access changed: the browser reconnects and the new stream reads the new scope
            }

            var concerned = changes.Where(c => c.ScopeOf is null && InScope(me, c.TenantId)).Select(c => c.TicketId).Distinct().ToList();
            IReadOnlyList<Guid> visible;
            try
            {
                visible = staff ? concerned : await VisibleAsync(tickets, concerned, logger, ct);
            }
            catch (Exception e) when (e is SignInExpiredException or OperationCanceledException)
            {
                yield break;
            }

            foreach (var id in visible)
            {
                yield return new SseItem<string>(id.ToString(), "ticket");
            }
        }
    }

    /// <summary>Whether a tenant is within the user's scope: staff's as their token grants it (all, or a list), a client's
    /// own tenant.</summary>
    private static bool InScope(Me me, Guid tenantId) =>
        me.Scope is { AllTenants: true } || (me.Scope?.TenantIds.Contains(tenantId) ?? false) || me.TenantId == tenantId;

    /// <summary>A client's tickets, each checked as them: a ClientUser sees only their own.</summary>
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
