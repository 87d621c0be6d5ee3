using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Msp.Web.Localization;

namespace Msp.Web.Tests.Localization;

public sealed class StrictLocalizerTests
{
    private static string In(string culture, bool markMissing, string key)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            return new TextLocalizer(new WebOptions { MarkMissingText = markMissing }, NullLogger<TextLocalizer>.Instance)[key].Value;
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public void AText_IsReadInTheLanguageOfTheRequest_WhicheverWasReadFirst()
    {
        In("fr-CH", markMissing: true, "Common.Unknown").ShouldBe("Inconnu");
        In("en-GB", markMissing: true, "Common.Unknown").ShouldBe("Unknown");
        In("it", markMissing: true, "Common.Unknown").ShouldBe("Sconosciuto");
        In("fr", markMissing: true, "Common.Unknown").ShouldBe("Inconnu");
        In("de", markMissing: true, "Common.Unknown").ShouldBe("Unknown", "a language the product does not speak reads English");
    }

    [Fact]
    public void AMissingText_IsMarkedWhereAsked_AndOtherwiseItsKey()
    {
        In("fr", markMissing: true, "No.Such.Text").ShouldBe("⟦No.Such.Text⟧");
        In("fr", markMissing: false, "No.Such.Text").ShouldBe("No.Such.Text");
    }
}
