using Msp.Web.Api;
using Msp.Web.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.Features;

namespace Msp.Web.Security;

/// <summary>The web app's own answers to the browser: a strict content security policy (its own scripts and styles
/// only, no inline script, no framing), and no caching of signed-in pages.</summary>
public static class WebSecurity
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            if (context.User.Identity?.IsAuthenticated == true && !headers.ContainsKey("Cache-Control"))
            {
                headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        });
        return next(context);
    });

    /// <summary>A form with files (a client's ticket or reply, a technician's reply or note) may carry up to <see cref="WebOptions.UploadBodyBytes"/>; everything else keeps the
    /// process's small cap (<c>Msp:Requests:MaxRequestBodyBytes</c>).</summary>
    public static IApplicationBuilder UseUploadLimits(this IApplicationBuilder app, WebOptions options) => app.Use((context, next) =>
    {
        if (HttpMethods.IsPost(context.Request.Method)
            && (context.Request.Path.StartsWithSegments("/portal/tickets") || context.Request.Path.StartsWithSegments("/desk/tickets"))
            && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.UploadBodyBytes;
        }

        return next(context);
    });

    /// <summary>When the API says the sign-in is over, the session ends here too and the user is sent to sign in,
    /// with the page they were on to come back to.</summary>
    public static IApplicationBuilder UseSignInExpiry(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (Find<SignInExpiredException>(e) is not null && !context.Response.HasStarted)
        {
            if (context.User.FindFirst(SessionStore.SessionKeyClaim)?.Value is { } key)
            {
                context.RequestServices.GetRequiredService<SessionTokens>().Forget(key);
            }

            context.Response.Clear();
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            var back = context.Request.Path + context.Request.QueryString;
            context.Response.Redirect($"/account/signin?expired=1&returnUrl={Uri.EscapeDataString(back)}");
        }
    });

    public static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T match)
            {
                return match;
            }
        }

        return null;
    }
}
