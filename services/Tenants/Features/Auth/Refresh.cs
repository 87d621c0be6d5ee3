using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Validation;
using Msp.Data;
using Msp.ServiceDefaults.Identity;
using Msp.Tenants.Domain;
using Msp.Tenants.Identity;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.Auth;

public sealed record RefreshRequest(string? RefreshToken);

public sealed class RefreshRequestValidator : AbstractValidator<RefreshRequest>
{
    public RefreshRequestValidator() => RuleFor(r => r.RefreshToken).NotEmpty().WithMessage("The refresh token is required.");
}

public static class Refresh
{
    public static RouteGroupBuilder MapRefresh(this RouteGroupBuilder group)
    {
        group.MapPost("/refresh", Handle).Validate<RefreshRequest>().AllowAnonymous().WithName(nameof(Refresh));
        return group;
    }

    /// <summary>Spends the refresh token for a new pair. A token used before (or revoked) revokes its whole family:
    /// whoever holds a copy, the thief or the owner, must sign in again.</summary>
    public static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> Handle(
        RefreshRequest request, TenantsDb db, TokenIssuer tokens, TenantScope scope, TimeProvider clock, CancellationToken ct)
    {
        // Finding who is signing in means looking across every tenant's users; nothing else is read.
        scope.AllowAll();
        var now = clock.GetUtcNow();
        var token = await db.RefreshTokens.FirstOrDefaultAsync(t => t.TokenHash == OpaqueToken.Hash(request.RefreshToken!), ct);
        if (token is null)
        {
            return Invalid();
        }

        if (token.UsedAt is not null || token.RevokedAt is not null)
        {
            await RevokeFamilyAsync(db, token.FamilyId, now, ct);
            return Invalid();
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == token.UserId, ct);
        if (!token.IsUsable(now) || user is not { IsActive: true })
        {
            return Invalid();
        }

        // A suspended client's sessions end at their next refresh; the family is revoked, so a reactivation does not
        // bring an old session back (decision 0116).
        if (await Login.ClientSuspendedAsync(db, user, ct))
        {
            await RevokeFamilyAsync(db, token.FamilyId, now, ct);
            return Login.ClientSuspended();
        }

        try
        {
            return TypedResults.Ok(await tokens.IssueAsync(user, token, ct));
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another request spent the same token at the same moment: a replay by definition.
            db.ChangeTracker.Clear();
            await RevokeFamilyAsync(db, token.FamilyId, now, ct);
            return Invalid();
        }
    }

    internal static Task RevokeFamilyAsync(TenantsDb db, Guid familyId, DateTimeOffset now, CancellationToken ct) =>
        db.RefreshTokens.Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);

    private static ProblemHttpResult Invalid() =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Refresh failed", detail: "The refresh token is not valid; sign in again.");
}
