using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Msp.Web.Sessions;

namespace Msp.Web.Account;

public static class AccountEndpoints
{
    /// <summary>Signing out is a form post (with its antiforgery token): the sign-in ends at the API, the session here.</summary>
    public static WebApplication MapSignOut(this WebApplication app)
    {
        app.MapPost("/account/signout", async (HttpContext http, SessionTokens tokens, CancellationToken ct) =>
        {
            // The endpoint reads no form fields, so nothing else would look at the middleware's verdict.
            if (http.Features.Get<Microsoft.AspNetCore.Antiforgery.IAntiforgeryValidationFeature>() is not { IsValid: true })
            {
                return Results.BadRequest();
            }

            if (http.User.FindFirst(SessionStore.SessionKeyClaim)?.Value is { } key)
            {
                await tokens.SignOutAsync(key, ct);
            }

            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/account/signin?notice=signedout");
        }).WithMetadata(new Microsoft.AspNetCore.Antiforgery.RequireAntiforgeryTokenAttribute());
        return app;
    }
}
