using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Msp.Web.Sessions;

namespace Msp.Web.Account;

public static class AccountEndpoints
{
    /// <summary>Signing out is a form post (with its antiforgery token): the sign-in ends at the API, the session here.</summary>
    public static WebApplication MapSignOut(this WebApplication app)
    {
        app.MapPost("/account/signout", async (HttpContext http, SessionTokens tokens, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery, CancellationToken ct) =>
        {
            // The endpoint binds no form, so it checks the token itself: a post without it changes nothing.
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.BadRequest();
            }

            if (http.User.FindFirst(SessionStore.SessionKeyClaim)?.Value is { } key)
            {
                await tokens.SignOutAsync(key, ct);
            }

            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/account/signin?notice=signedout");
        }).DisableAntiforgery();
        return app;
    }
}
