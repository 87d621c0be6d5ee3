using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Tenancy;

namespace Msp.ServiceDefaults.Identity;

/// <summary>An access token is only as good as its user: a signed-in request is refused (401) once the Tenants service
/// has announced the user's deactivation, or a change of a technician's tenants made after the token was issued.
/// The event reaches the service within milliseconds, so a deactivation takes effect on the next request, not when
/// the token expires.</summary>
public sealed class KnownUserCheck<TDb>(RequestDelegate next) where TDb : DbContext
{
    public async Task InvokeAsync(HttpContext context, TDb db)
    {
        if (context.User.Identity?.IsAuthenticated == true)
        {
            var id = Guid.TryParse(context.User.FindFirstValue(ClaimTypes.NameIdentifier), out var parsed) ? parsed : Guid.Empty;
            var user = await db.Set<KnownUser>().AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, context.RequestAborted);
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
}
