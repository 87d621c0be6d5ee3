using System.Globalization;
using System.Resources;
using Microsoft.Extensions.Localization;

namespace Msp.Web.Localization;

/// <summary>Looks a key of one text table up in the request's language only, never falling back to English for French or
/// Italian, so that a string missing from a translation is seen rather than shown in English. Where
/// <c>Msp:Web:MarkMissingText</c> is on (development and the tests), a missing key renders as <c>⟦Key⟧</c>, which
/// the browser tests fail on; in production it falls back to English. Either way it is logged.</summary>
public abstract class StrictLocalizer(ResourceManager resources, string table, WebOptions options, ILogger logger) : IStringLocalizer
{
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

        logger.LogWarning("Missing {Table} text {Key} for {Language}", table, name, TextLocalizer.Language(culture));
        return options.MarkMissingText
            ? new LocalizedString(name, $"⟦{name}⟧", resourceNotFound: true)
            : new LocalizedString(name, resources.GetString(name, CultureInfo.InvariantCulture) ?? name, resourceNotFound: true);
    }

    private ResourceSet? Set(CultureInfo culture) => TextLocalizer.Language(culture) is "en"
        ? resources.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)
        : resources.GetResourceSet(CultureInfo.GetCultureInfo(TextLocalizer.Language(culture)), createIfNotExists: true, tryParents: false);
}
