using System.Net;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Localization;
using Msp.ServiceDefaults.Hosting;
using Msp.Web.Account;
using Msp.Web.Api;
using Msp.Web.Desk;
using Msp.Web.Live;
using Msp.Web.Localization;
using Msp.Web.OperatorConsole;
using Msp.Web.Pages;
using Msp.Web.Persistence;
using Msp.Web.Portal.Tickets;
using Msp.Web.Security;
using Msp.Web.Sessions;

namespace Msp.Web;

public static class WebModule
{
    public static WebApplicationBuilder AddWeb(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(WebOptions.Section).Get<WebOptions>() ?? new WebOptions();
        builder.Services.AddSingleton(options);
        // Stylesheets and scripts come from the static web assets manifest of the build output when the app runs
        // from it (./msp up, the tests) in any environment; a published app has none and serves its wwwroot.
        builder.WebHost.UseStaticWebAssets();
        builder.AddWebDatabase();
        builder.AddLiveUpdates();

        // Pages are HTML: an exception becomes the error page, not the services' problem document.
        builder.Services.RemoveAll<IExceptionHandler>();
        builder.Services.AddRazorComponents();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddHttpContextAccessor();
        builder.Services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = options.UploadBodyBytes);
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            // The gateway forwards the browser's address, scheme and host; only it (loopback, or the configured
            // proxies) is believed.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            foreach (var proxy in options.KnownProxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        });

        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<SessionTokens>();
        builder.Services.AddHostedService<SessionSweep>();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<SessionStore>((o, store) =>
            {
                o.SessionStore = store;
                o.Cookie.Name = "msp.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = options.SessionLifetime;
                o.SlidingExpiration = true;
                o.LoginPath = "/account/signin";
                o.LogoutPath = "/account/signout";
                o.AccessDeniedPath = "/not-allowed";
                o.ReturnUrlParameter = "returnUrl";
            });
        builder.Services.AddAuthorization();
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "msp.antiforgery";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        builder.Services.AddLocalization();
        builder.Services.AddSingleton<IStringLocalizer<Text>, TextLocalizer>();
        builder.Services.Configure<RequestLocalizationOptions>(ProfileCultureProvider.Configure);
        builder.Services.AddScoped<UserFormats>();
        builder.Services.AddOperatorConsole();

        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<ReferenceLists>();
        builder.Services.AddTransient<GatewayHandler>();
        builder.Services.AddHttpClient(SessionTokens.AuthClient, c => c.BaseAddress = options.GatewayUrl);
        builder.Services.AddHttpClient<TenantsApi>(c => c.BaseAddress = options.GatewayUrl).AddHttpMessageHandler<GatewayHandler>();
        builder.Services.AddHttpClient<TicketsApi>(c =>
        {
            c.BaseAddress = options.GatewayUrl;
            c.Timeout = TimeSpan.FromMinutes(5); // uploads of several files
        }).AddHttpMessageHandler<GatewayHandler>();
        builder.Services.AddHttpClient<SlasApi>(c => c.BaseAddress = options.GatewayUrl).AddHttpMessageHandler<GatewayHandler>();
        builder.Services.AddHttpClient<BillingApi>(c => c.BaseAddress = options.GatewayUrl).AddHttpMessageHandler<GatewayHandler>();
        builder.Services.AddHttpClient<FailedMessagesApi>(c => c.BaseAddress = options.GatewayUrl).AddHttpMessageHandler<GatewayHandler>();
        builder.Services.AddScoped<SignIn>();
        return builder;
    }

    public static WebApplication UseWeb(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<WebOptions>();
        app.UseForwardedHeaders();
        app.UseMiddleware<CorrelationIdMiddleware>();
        app.UseSecurityHeaders();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/error",
            CreateScopeForErrors = true,
            StatusCodeSelector = PageErrors.StatusOf,
        });
        app.UseStatusCodePagesWithReExecute("/status/{0}", createScopeForStatusCodePages: true);
        app.UseUploadLimits(options);
        app.UseAuthentication();
        app.UseSignInExpiry();
        app.UseRequestLocalization();
        app.UseAuthorization();
        app.Use(app.Services.GetRequiredService<ReferenceLists>().ForgetOnConsolePosts);
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapWeb(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains("live"), ResponseWriter = HealthReportWriter.WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(ServiceDefaultsExtensions.ReadyTag),
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
        app.MapStaticAssets();
        app.MapSignOut();
        app.MapAttachmentDownload();
        app.MapOperatorConsole();
        app.MapLiveUpdates();
        app.MapRazorComponents<App>();
        return app;
    }
}
