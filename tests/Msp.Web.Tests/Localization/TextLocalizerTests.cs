using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Msp.Web.Localization;

namespace Msp.Web.Tests.Localization;

public sealed class TextLocalizerTests
{
    private static TextLocalizer Localizer(bool mark) => new(new WebOptions { MarkMissingText = mark }, NullLogger<TextLocalizer>.Instance);

    private static T In<T>(string culture, Func<T> read)
    {
        var (before, beforeUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            return read();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (before, beforeUi);
        }
    }

    [Theory]
    [InlineData("en", "Sign in")]
    [InlineData("en-GB", "Sign in")]
    [InlineData("fr-FR", "Connexion")]
    [InlineData("it", "Accesso")]
    [InlineData("de-DE", "Sign in")]
    public void AKey_ReadsInTheRequestsLanguage_AndEnglishForAnyOther(string culture, string expected) =>
        In(culture, () => Localizer(mark: true)["SignIn.Title"].Value).ShouldBe(expected);

    [Fact]
    public void AMissingKey_IsMarked_WhereMarkingIsOn_AndFallsBackToItsNameOtherwise()
    {
        In("fr", () => Localizer(mark: true)["No.Such.Key"]).Value.ShouldBe("⟦No.Such.Key⟧");
        In("fr", () => Localizer(mark: true)["No.Such.Key"]).ResourceNotFound.ShouldBeTrue();
        In("fr", () => Localizer(mark: false)["No.Such.Key"]).Value.ShouldBe("No.Such.Key");
    }

    [Fact]
    public void Arguments_AreFormattedInTheRequestsCulture() =>
        In("fr", () => Localizer(mark: true)["Rating.Given", 4].Value).ShouldBe("Vous avez noté cette demande 4 sur 5. Merci.");
}
