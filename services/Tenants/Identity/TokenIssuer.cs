using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Msp.ServiceDefaults.Identity;
using Msp.ServiceDefaults.Tenancy;
using Msp.Tenants.Domain;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Identity;

/// <summary>What a successful sign-in or refresh answers.</summary>
public sealed record TokenResponse(string AccessToken, string RefreshToken, int ExpiresIn, string TokenType = "Bearer");

/// <summary>Issues access tokens with the built-in bearer-token handler's own protector (Data Protection; no token
/// cryptography of ours), and opaque refresh tokens kept, hashed, in the database.</summary>
public sealed class TokenIssuer(
    IOptionsMonitor<BearerTokenOptions> bearer,
    IUserClaimsPrincipalFactory<User> principals,
    TenantsDb db,
    AuthOptions options,
    TimeProvider clock)
{
    /// <summary>The sign-in (refresh-token family) an access token belongs to: changing the password ends the user's
    /// other sign-ins and keeps this one.</summary>
    public const string SignInClaim = "msp:sign_in";

    /// <summary>The sign-in of an access token; null for tokens issued before the claim existed.</summary>
    public static Guid? SignInOf(ClaimsPrincipal principal) => Guid.TryParse(principal.FindFirstValue(SignInClaim), out var id) ? id : null;

    public async Task<TokenResponse> IssueAsync(User user, RefreshToken? spent, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var (refresh, value) = spent is null
            ? RefreshToken.StartFamily(user.Id, now, options.RefreshTokenLifetime)
            : spent.Rotate(now, options.RefreshTokenLifetime);
        db.RefreshTokens.Add(refresh);
        await db.SaveChangesAsync(ct);

        var principal = await principals.CreateAsync(user);
        var identity = (ClaimsIdentity)principal.Identity!;
        identity.AddClaim(new Claim(SignInClaim, refresh.FamilyId.ToString()));
        identity.AddClaim(new Claim(MspClaims.IssuedAt, now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (user.TenantId is { } tenantId)
        {
            identity.AddClaim(new Claim(MspClaims.TenantId, tenantId.ToString()));
        }
        else if (user.AllTenants)
        {
            identity.AddClaim(new Claim(MspClaims.AllTenants, "true"));
        }
        else
        {
            var assigned = await db.TechnicianTenants.IgnoreQueryFilters().Where(t => t.UserId == user.Id).Select(t => t.TenantId).ToListAsync(ct);
            identity.AddClaims(assigned.Select(t => new Claim(MspClaims.AssignedTenant, t.ToString())));
        }

        var scheme = bearer.Get(MspAuthentication.Scheme);
        var properties = new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + scheme.BearerTokenExpiration };
        var ticket = new AuthenticationTicket(principal, properties, $"{MspAuthentication.Scheme}:AccessToken");
        return new TokenResponse(scheme.BearerTokenProtector.Protect(ticket), value, (int)scheme.BearerTokenExpiration.TotalSeconds);
    }
}
