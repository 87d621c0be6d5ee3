using System.Globalization;
using System.Resources;
using Microsoft.Extensions.Localization;
using Msp.Web.Localization;

namespace Msp.Web.OperatorConsole;

/// <summary>The operator console's own text table, <c>Resources/Console.resx</c> with <c>Console.fr.resx</c> and
/// <c>Console.it.resx</c>: apart from the portal's <c>Text</c> so that the console and the technician workspace, built at
/// the same time, never edit the same file. Looked up as strictly as <see cref="TextLocalizer"/> (decision 0100).</summary>
public sealed class ConsoleText;

public sealed class ConsoleLocalizer(WebOptions options, ILogger<ConsoleLocalizer> logger) : IStringLocalizer<ConsoleText>
{
    internal static readonly ResourceManager Resources = new("Msp.Web.Resources.Console", typeof(ConsoleText).Assembly);

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

        logger.LogWarning("Missing console text {Key} for {Language}", name, TextLocalizer.Language(culture));
        return options.MarkMissingText
            ? new LocalizedString(name, $"⟦{name}⟧", resourceNotFound: true)
            : new LocalizedString(name, Resources.GetString(name, CultureInfo.InvariantCulture) ?? name, resourceNotFound: true);
    }

    private static ResourceSet? Set(CultureInfo culture) => TextLocalizer.Language(culture) is "en"
        ? Resources.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)
        : Resources.GetResourceSet(CultureInfo.GetCultureInfo(TextLocalizer.Language(culture)), createIfNotExists: true, tryParents: false);
}

/// <summary>Who may open the console: Operators and Admins; some pages are Admins' alone.</summary>
public static class ConsoleRoles
{
    public const string Operators = "Operator,Admin";
    public const string Admins = "Admin";
}
