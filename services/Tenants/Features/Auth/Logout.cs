using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Validation;
using Msp.Data;
using Msp.ServiceDefaults.Identity;
using Msp.Tenants.Domain;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.Auth;

public static class Logout
{
    public static RouteGroupBuilder MapLogout(this RouteGroupBuilder group)
    {
        group.MapPost("/logout", Handle).Validate<RefreshRequest>().AllowAnonymous().WithName(nameof(Logout));
        return group;
    }

    /// <summary>Revokes the sign-in the refresh token belongs to (its whole family). Unknown tokens answer the same.</summary>
    public static async Task<NoContent> Handle(RefreshRequest request, TenantsDb db, TenantScope scope, TimeProvider clock, CancellationToken ct)
    {
        // Finding who is signing in means looking across every tenant's users; nothing else is read.
        scope.AllowAll();
        var familyId = await db.RefreshTokens
            .Where(t => t.TokenHash == OpaqueToken.Hash(request.RefreshToken!))
            .Select(t => (Guid?)t.FamilyId)
            .FirstOrDefaultAsync(ct);
        if (familyId is { } family)
        {
            await Refresh.RevokeFamilyAsync(db, family, clock.GetUtcNow(), ct);
        }

        return TypedResults.NoContent();
    }
}
