using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Msp.Web.Api;
using Msp.Web.Components;
using Msp.Web.Localization;
using Msp.Web.Sessions;

namespace Msp.Web.Account;

/// <summary>Signs a user in through the Tenants API and starts their session: the tokens go to the session store,
/// the browser gets only the session cookie.</summary>
public sealed class SignIn(TenantsApi tenants, SessionStore sessions, TimeProvider clock)
{
    /// <summary>Returns the signed-in user, or throws the API's refusal (401 wrong credentials, 423 locked, 429).</summary>
    public async Task<ClaimsPrincipal> SignInAsync(HttpContext http, string email, string password, CancellationToken ct)
    {
        var pair = await tenants.LoginAsync(email, password, ct);
        var me = await tenants.MeAsync(pair.AccessToken, ct);
        var principal = PrincipalOf(me);
        var properties = new AuthenticationProperties { IsPersistent = false, AllowRefresh = true };
        properties.StoreTokens(
        [
            new AuthenticationToken { Name = SessionStore.AccessToken, Value = pair.AccessToken },
            new AuthenticationToken { Name = SessionStore.RefreshToken, Value = pair.RefreshToken },
            new AuthenticationToken { Name = SessionStore.AccessExpiresAt, Value = clock.GetUtcNow().AddSeconds(pair.ExpiresIn).ToString("o", CultureInfo.InvariantCulture) },
        ]);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal, properties);
        return principal;
    }

    /// <summary>After the user changed their profile: the session's principal carries the new name, language and zone.</summary>
    public async Task RefreshPrincipalAsync(HttpContext http, Me me, CancellationToken ct)
    {
        if (http.User.FindFirst(SessionStore.SessionKeyClaim)?.Value is { } key)
        {
            await sessions.ReplacePrincipalAsync(key, PrincipalOf(me), ct);
        }
    }

    public static ClaimsPrincipal PrincipalOf(Me me)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, me.Id.ToString()),
            new(ClaimTypes.Name, me.DisplayName),
            new(ClaimTypes.Email, me.Email),
        };
        claims.AddRange(me.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        if (me.TenantId is { } tenant)
        {
            claims.Add(new Claim(WebClaims.TenantId, tenant.ToString()));
        }

        if (me.TenantName is { Length: > 0 } tenantName)
        {
            claims.Add(new Claim(WebClaims.TenantName, tenantName));
        }

        if (me.Language is { Length: > 0 } language)
        {
            claims.Add(new Claim(WebClaims.Language, language));
        }

        if (me.TimeZone is { Length: > 0 } zone)
        {
            claims.Add(new Claim(WebClaims.TimeZone, zone));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    /// <summary>Only a path of this site is a place to come back to.</summary>
    public static string SafeReturn(string? returnUrl, ClaimsPrincipal user) =>
        returnUrl is { Length: > 1 } && returnUrl[0] == '/' && returnUrl[1] != '/' && returnUrl[1] != '\\' ? returnUrl : user.Landing();
}
