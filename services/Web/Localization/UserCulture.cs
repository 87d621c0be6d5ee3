using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Primitives;

namespace Msp.Web.Localization;

/// <summary>The language of a request: the signed-in user's profile, else the browser's <c>Accept-Language</c>, else
/// English.</summary>
public sealed class ProfileCultureProvider : RequestCultureProvider
{
    public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext) =>
        Task.FromResult(httpContext.User.FindFirst(WebClaims.Language)?.Value is { Length: > 0 } language && TextLocalizer.Languages.Contains(language)
            ? new ProviderCultureResult(language)
            : null);

    /// <summary>The request's language (<see cref="CultureInfo.CurrentUICulture"/>: the text table, the page's
    /// <c>lang</c>) is one of <see cref="TextLocalizer.Languages"/>; its formats (<see cref="CultureInfo.CurrentCulture"/>:
    /// dates, times, numbers) are the language's own, except English, written the British way (decision 0120).</summary>
    public static void Configure(RequestLocalizationOptions options)
    {
        var languages = TextLocalizer.Languages.Select(CultureInfo.GetCultureInfo).ToList();
        options.DefaultRequestCulture = new RequestCulture(DayFirstEnglish.Formats, CultureInfo.GetCultureInfo("en"));
        options.SupportedCultures = [.. languages.Select(DayFirstEnglish.FormatsOf)];
        options.SupportedUICultures = languages;
        options.FallBackToParentCultures = true;
        options.FallBackToParentUICultures = true;
        options.RequestCultureProviders = [new DayFirstEnglish(new ProfileCultureProvider()), new DayFirstEnglish(new AcceptLanguageHeaderRequestCultureProvider())];
    }
}

/// <summary>Reads a request's cultures with another provider, and has any English one format as British English
/// (<c>01/11/2026</c>, <c>14:30</c>) while the language stays the neutral English of the text tables (decision 0120).
/// Mapped before the supported cultures are matched, so that <c>Accept-Language: en-US, fr</c> formats in British
/// English rather than in French.</summary>
public sealed class DayFirstEnglish(IRequestCultureProvider inner) : RequestCultureProvider
{
    public static readonly CultureInfo Formats = CultureInfo.GetCultureInfo("en-GB");

    public static CultureInfo FormatsOf(CultureInfo language) => language.TwoLetterISOLanguageName == "en" ? Formats : language;

    public override async Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext) =>
        await inner.DetermineProviderCultureResult(httpContext) is { } result
            ? new ProviderCultureResult([.. result.Cultures.Select(FormatsOfName)], result.UICultures)
            : null;

    private static StringSegment FormatsOfName(StringSegment culture) =>
        culture.Equals("en", StringComparison.OrdinalIgnoreCase) || culture.StartsWith("en-", StringComparison.OrdinalIgnoreCase) ? Formats.Name : culture;
}

/// <summary>The claims the web app keeps about the signed-in user (from <c>/api/auth/me</c>), in its session.</summary>
public static class WebClaims
{
    public const string TenantId = "msp:tenant";
    public const string TenantName = "msp:tenant_name";
    public const string Language = "msp:lang";
    public const string TimeZone = "msp:tz";
}
