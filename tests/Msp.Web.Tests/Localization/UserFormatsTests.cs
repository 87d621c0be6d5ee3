using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Msp.Web.Localization;

namespace Msp.Web.Tests.Localization;

public sealed class UserFormatsTests
{
    private static UserFormats For(string? zone)
    {
        var http = new DefaultHttpContext();
        if (zone is not null)
        {
            http.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(WebClaims.TimeZone, zone)], "test"));
        }

        return new UserFormats(new HttpContextAccessor { HttpContext = http }, new TextLocalizer(new WebOptions { MarkMissingText = true }, NullLogger<TextLocalizer>.Instance));
    }

    private static string In(string culture, Func<string> format)
    {
        var (before, beforeUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            return format();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (before, beforeUi);
        }
    }

    [Theory]
    [InlineData("en", "EUR", "€1,234.50")]
    [InlineData("fr", "EUR", "1\u202f234,50 €")]
    [InlineData("it", "EUR", "1.234,50 €")]
    [InlineData("fr", "CHF", "1\u202f234,50 CHF")]
    [InlineData("en", "GBP", "£1,234.50")]
    public void Money_IsTheInvoicesCurrency_WrittenTheUsersWay(string culture, string currency, string expected) =>
        In(culture, () => For(null).Money(1234.5m, currency)).ShouldBe(expected);

    [Theory]
    [InlineData("Europe/Paris", "en", "Friday, November 27, 2026 3:30\u202fPM")]
    [InlineData("America/New_York", "en", "Friday, November 27, 2026 9:30\u202fAM")]
    [InlineData("Europe/Rome", "it", "venerdì 27 novembre 2026 15:30")]
    [InlineData(null, "fr", "vendredi 27 novembre 2026 14:30")]
    public void AnInstant_IsShownInTheUsersTimeZone_AndLanguage(string? zone, string culture, string expected) =>
        In(culture, () => For(zone).When(new DateTimeOffset(2026, 11, 27, 14, 30, 0, TimeSpan.Zero))).ShouldBe(expected);

    [Theory]
    [InlineData(512, "en", "512 B")]
    [InlineData(1536, "fr", "1,5 Ko")]
    [InlineData(26214400, "en", "25 MB")]
    public void Sizes_ReadAsPeopleWriteThem(long bytes, string culture, string expected) =>
        In(culture, () => For(null).Size(bytes)).ShouldBe(expected);

    [Theory]
    [InlineData(45, "45 min")]
    [InlineData(90, "1 h 30 min")]
    [InlineData(125, "2 h 05 min")]
    public void Durations_ReadInHoursAndMinutes(int minutes, string expected) =>
        In("en", () => For(null).Minutes(minutes)).ShouldBe(expected);
}
