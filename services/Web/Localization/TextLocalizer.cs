using System.Globalization;
using System.Resources;
using Microsoft.Extensions.Localization;

namespace Msp.Web.Localization;

/// <summary>The web app's text: one table, <c>Resources/Text.resx</c> (English, the neutral language) with
/// <c>Text.fr.resx</c> and <c>Text.it.resx</c>.</summary>
public sealed class Text;

/// <summary>Looks a key up in the request's language only, never falling back to English for French or Italian, so
/// that a string missing from a translation is seen rather than shown in English. Where
/// <c>Msp:Web:MarkMissingText</c> is on (development and the tests), a missing key renders as <c>⟦Key⟧</c>, which
/// the browser tests fail on; in production it falls back to English. Either way it is logged.</summary>
public sealed class TextLocalizer(WebOptions options, ILogger<TextLocalizer> logger) : IStringLocalizer<Text>
{
    public static readonly string[] Languages = ["en", "fr", "it"];

    internal static readonly ResourceManager Resources = new("Msp.Web.Resources.Text", typeof(Text).Assembly);

    public LocalizedString this[string name] => Find(name);

    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            var found = Find(name);
            return found.ResourceNotFound ? found : new LocalizedString(name, string.Format(CultureInfo.CurrentCulture, found.Value, arguments), false);
        }
    }

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
        Set(CultureInfo.CurrentUICulture)?.Cast<System.Collections.DictionaryEntry>().Select(e => new LocalizedString((string)e.Key, (string)e.Value!)) ?? [];

    private LocalizedString Find(string name)
    {
        var culture = CultureInfo.CurrentUICulture;
        if (Set(culture)?.GetString(name) is { } value)
        {
            return new LocalizedString(name, value);
        }

        logger.LogWarning("Missing text {Key} for {Language}", name, Language(culture));
        return options.MarkMissingText
            ? new LocalizedString(name, $"⟦{name}⟧", resourceNotFound: true)
            : new LocalizedString(name, Resources.GetString(name, CultureInfo.InvariantCulture) ?? name, resourceNotFound: true);
    }

    private static ResourceSet? Set(CultureInfo culture) => Language(culture) is "en"
        ? Resources.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)
        : Resources.GetResourceSet(CultureInfo.GetCultureInfo(Language(culture)), createIfNotExists: true, tryParents: false);

    /// <summary>The supported language a culture falls under; English for any other.</summary>
    public static string Language(CultureInfo culture) =>
        Languages.Contains(culture.TwoLetterISOLanguageName) ? culture.TwoLetterISOLanguageName : "en";
}
