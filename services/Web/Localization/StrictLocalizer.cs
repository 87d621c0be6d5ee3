using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using System.Resources;
using Microsoft.Extensions.Localization;

namespace Msp.Web.Localization;

/// <summary>Looks a key of one text table up in the request's language only, never falling back to English for French or
/// Italian, so that a string missing from a translation is seen rather than shown in English. Where
/// <c>Msp:Web:MarkMissingText</c> is on (development and the tests), a missing key renders as <c>⟦Key⟧</c>, which
/// the browser tests fail on; in production it falls back to English. Either way it is logged. Each table is read from
/// its resources once per language into a frozen dictionary: a page looks up hundreds of texts, and the resource
/// manager takes a lock on each (a culture, a resource set, then the set's own cache), which the desk bench's profile
/// showed threads contending for.</summary>
public abstract class StrictLocalizer(ResourceManager resources, string table, WebOptions options, ILogger logger) : IStringLocalizer
{
    private static readonly ConcurrentDictionary<(ResourceManager Resources, string Language), FrozenDictionary<string, string>> Tables = new();

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
        Table(CultureInfo.CurrentUICulture).Select(e => new LocalizedString(e.Key, e.Value));

    private LocalizedString Find(string name)
    {
        var culture = CultureInfo.CurrentUICulture;
        if (Table(culture).TryGetValue(name, out var value))
        {
            return new LocalizedString(name, value);
        }

        logger.LogWarning("Missing {Table} text {Key} for {Language}", table, name, TextLocalizer.Language(culture));
        return options.MarkMissingText
            ? new LocalizedString(name, $"⟦{name}⟧", resourceNotFound: true)
            : new LocalizedString(name, resources.GetString(name, CultureInfo.InvariantCulture) ?? name, resourceNotFound: true);
    }

    /// <summary>The texts of this table in the culture's language, without falling back to another language.</summary>
    private FrozenDictionary<string, string> Table(CultureInfo culture) => Tables.GetOrAdd((resources, TextLocalizer.Language(culture)), static key =>
        key.Resources.GetResourceSet(key.Language is "en" ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo(key.Language), createIfNotExists: true, tryParents: false)
            ?.Cast<DictionaryEntry>().Where(e => e.Value is string).ToFrozenDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal)
        ?? FrozenDictionary<string, string>.Empty);
}
