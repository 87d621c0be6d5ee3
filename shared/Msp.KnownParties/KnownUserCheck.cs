using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Msp.ServiceDefaults.Hosting;
using Msp.Data;
using Msp.ServiceDefaults.Identity;

namespace Msp.KnownParties;

/// <summary>An access token is only as good as its user: a signed-in request is refused (401) once the Tenants service
/// has announced the user's deactivation, or a change of a technician's tenants made after the token was issued.
/// The event reaches the service within milliseconds. A user's state, once read, is kept until <c>known_users</c>
/// changes, which the service hears of as the change commits (<see cref="KnownUserChanges"/>, decision 0018), and
/// for at most <see cref="MaxAge"/>. While the service does not hear of changes, it reads the state again after
/// <c>Msp:Auth:UserStateCacheDuration</c> (250 ms; zero reads it on every request). Either way a deactivation takes
/// effect well within a second, not when the token expires, and a busy user costs no query per request.</summary>
public sealed class KnownUserCheck<TDb>(RequestDelegate next, IMemoryCache cache, KnownUserChanges changes, IConfiguration configuration)
    where TDb : DbContext
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private readonly TimeSpan unheardFor = configuration.GetValue("Msp:Auth:UserStateCacheDuration", TimeSpan.FromMilliseconds(250));

    public async Task InvokeAsync(HttpContext context, TDb db)
    {
        if (context.User.Identity?.IsAuthenticated == true)
        {
            var id = Guid.TryParse(context.User.FindFirstValue(ClaimTypes.NameIdentifier), out var parsed) ? parsed : Guid.Empty;
            var user = await StateOfAsync(db, id, context.RequestAborted);
            var issuedAt = MspClaims.IssuedAtOf(context.User)
                ?? context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Properties?.IssuedUtc;
            if (user is not null && !user.Accepts(issuedAt))
            {
                await context.WriteProblemAsync(StatusCodes.Status401Unauthorized, "Signed out", "This sign-in is no longer valid; sign in again.");
                return;
            }
        }

        await next(context);
    }

    private async Task<KnownUser?> StateOfAsync(TDb db, Guid id, CancellationToken ct)
    {
        if (unheardFor <= TimeSpan.Zero)
        {
            return await ReadAsync(db, id, ct);
        }

        var key = (typeof(KnownUserCheck<TDb>), id);
        var generation = changes.Generation; // taken before the read: a change heard meanwhile makes this read stale
        if (cache.TryGetValue(key, out Held? held) && held!.Generation == generation)
        {
            return held.User;
        }

        var user = await ReadAsync(db, id, ct);
        cache.Set(key, new Held(user, generation), changes.Listening ? MaxAge : unheardFor);
        return user;
    }

    private static Task<KnownUser?> ReadAsync(TDb db, Guid id, CancellationToken ct) =>
        db.Set<KnownUser>().AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);

    private sealed record Held(KnownUser? User, long Generation);
}

public static class KnownUserCheckExtensions
{
    /// <summary>The request's tenant scope, then the check of the signed-in user against this service's copy, then
    /// authorization (<see cref="ServiceDefaultsExtensions.UseUserCheck{TCheck}"/>).</summary>
    public static WebApplication UseKnownUserCheck<TDb>(this WebApplication app) where TDb : DbContext =>
        app.UseTenantScope().UseUserCheck<KnownUserCheck<TDb>>();
}
