using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Msp.Web.Api;
using Msp.Web.Components;

namespace Msp.Web.Desk;

/// <summary>The lists a desk page shows beside its tickets (the caller's tenants, staff, queues, categories, work types),
/// kept for each user for <see cref="Lifetime"/> instead of asked for on every page (decision 0126): a technician
/// moves between the queue and tickets every few seconds, and these lists change a few times a day. They are the
/// caller's own answers, so they hold nothing another user may not see. A post to the console, where they are edited,
/// forgets the poster's lists at once; anyone else sees the change within the lifetime.</summary>
public sealed class ReferenceLists(IMemoryCache cache)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<Guid, int> generations = new();

    public async Task<T> GetAsync<T>(ClaimsPrincipal user, string list, Func<Task<T>> load)
    {
        var id = user.Id();
        var key = (id, generations.GetValueOrDefault(id), list);
        if (cache.TryGetValue(key, out T? kept))
        {
            return kept!;
        }

        var value = await load();
        cache.Set(key, value, Lifetime);
        return value;
    }

    /// <summary>One tenant's row as the caller may read it, kept as the lists are: a ticket's tenant, and the queue's
    /// tenants beyond the first page of the caller's list.</summary>
    public Task<TenantRow> TenantAsync(ClaimsPrincipal user, TenantsApi tenants, Guid id, CancellationToken ct) =>
        GetAsync(user, $"tenant {id}", () => tenants.TenantAsync(id, ct));

    /// <summary>The user's next page reads every list afresh (their older entries expire unread).</summary>
    public void Forget(ClaimsPrincipal user) => generations.AddOrUpdate(user.Id(), 1, (_, generation) => generation + 1);

    /// <summary>Middleware (after authentication): a post to the console forgets the poster's lists.</summary>
    public Task ForgetOnConsolePosts(HttpContext context, RequestDelegate next)
    {
        if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.StartsWithSegments("/console") && context.User.Identity?.IsAuthenticated == true)
        {
            Forget(context.User);
        }

        return next(context);
    }
}
