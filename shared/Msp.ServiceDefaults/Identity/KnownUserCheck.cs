using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Tenancy;

namespace Msp.ServiceDefaults.Identity;

/// <summary>An access token is only as good as its user: a signed-in request is refused (401) once the Tenants service
/// has announced the user's deactivation, or a change of a technician's tenants made after the token was issued.
/// The event reaches the service within milliseconds, and the user's state is read again after at most
/// <c>Msp:Auth:UserStateCacheDuration</c> (250 ms), so a deactivation takes effect well within a second, not when
/// the token expires. The short cache spares the database one query per request of a busy user.</summary>
public sealed class KnownUserCheck<TDb>(RequestDelegate next, IMemoryCache cache, IConfiguration configuration) where TDb : DbContext
{
    private readonly TimeSpan cacheFor = configuration.GetValue("Msp:Auth:UserStateCacheDuration", TimeSpan.FromMilliseconds(250));

    public async Task InvokeAsync(HttpContext context, TDb db)
    {
        if (context.User.Identity?.IsAuthenticated == true)
        {
            var id = Guid.TryParse(context.User.FindFirstValue(ClaimTypes.NameIdentifier), out var parsed) ? parsed : Guid.Empty;
            var user = cacheFor <= TimeSpan.Zero
                ? await ReadAsync(db, id, context.RequestAborted)
                : await cache.GetOrCreateAsync((typeof(KnownUserCheck<TDb>), id), entry =>
                {
                    entry.AbsoluteExpirationRelativeToNow = cacheFor;
                    return ReadAsync(db, id, context.RequestAborted);
                });
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

    private static Task<KnownUser?> ReadAsync(TDb db, Guid id, CancellationToken ct) =>
        db.Set<KnownUser>().AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
}
