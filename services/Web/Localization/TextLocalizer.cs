using System.Globalization;
using System.Resources;
using Microsoft.Extensions.Localization;

namespace Msp.Web.Localization;

/// <summary>The web app's text: one table, <c>Resources/Text.resx</c> (English, the neutral language) with
/// <c>Text.fr.resx</c> and <c>Text.it.resx</c>.</summary>
public sealed class Text;

/// <summary>The web app's own table, looked up strictly (<see cref="StrictLocalizer"/>).</summary>
public sealed class TextLocalizer(WebOptions options, ILogger<TextLocalizer> logger)
    : StrictLocalizer(Resources, "web", options, logger), IStringLocalizer<Text>
{
    public static readonly string[] Languages = ["en", "fr", "it"];

    internal static readonly ResourceManager Resources = new("Msp.Web.Resources.Text", typeof(Text).Assembly);

    /// <summary>The supported language a culture falls under; English for any other.</summary>
    public static string Language(CultureInfo culture) =>
        Languages.Contains(culture.TwoLetterISOLanguageName) ? culture.TwoLetterISOLanguageName : "en";
}
