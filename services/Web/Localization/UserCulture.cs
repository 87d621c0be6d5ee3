using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace Msp.Web.Localization;

/// <summary>The language of a request: the signed-in user's profile, else the browser's <c>Accept-Language</c>, else
/// English.</summary>
public sealed class ProfileCultureProvider : RequestCultureProvider
{
    public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext) =>
        Task.FromResult(httpContext.User.FindFirst(WebClaims.Language)?.Value is { Length: > 0 } language && TextLocalizer.Languages.Contains(language)
            ? new ProviderCultureResult(language)
            : null);

    public static void Configure(RequestLocalizationOptions options)
    {
        var cultures = TextLocalizer.Languages.Select(CultureInfo.GetCultureInfo).ToList();
        options.DefaultRequestCulture = new RequestCulture("en");
        options.SupportedCultures = cultures;
        options.SupportedUICultures = cultures;
        options.FallBackToParentCultures = true;
        options.FallBackToParentUICultures = true;
        options.RequestCultureProviders = [new ProfileCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
    }
}

/// <summary>The claims the web app keeps about the signed-in user (from <c>/api/auth/me</c>), in its session.</summary>
public static class WebClaims
{
    public const string TenantId = "msp:tenant";
    public const string TenantName = "msp:tenant_name";
    public const string Language = "msp:lang";
    public const string TimeZone = "msp:tz";
}
