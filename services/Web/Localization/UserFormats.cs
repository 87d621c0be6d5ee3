using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Msp.Web.Localization;

/// <summary>Dates and times in the user's time zone (their profile's, else UTC) and culture; money in an invoice's
/// currency written the user's way; sizes and durations.</summary>
public sealed class UserFormats(IHttpContextAccessor accessor, IStringLocalizer<Text> text)
{
    private TimeZoneInfo? zone;

    public TimeZoneInfo Zone => zone ??= FindZone(accessor.HttpContext?.User.FindFirst(WebClaims.TimeZone)?.Value);

    public string ZoneName => Zone.Id;

    public DateTimeOffset Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>"27 November 2026 14:30" as the user's culture writes it, in their time zone.</summary>
    public string When(DateTimeOffset instant) =>
        Local(instant).ToString(CultureInfo.CurrentCulture.DateTimeFormat.LongDatePattern + " " + CultureInfo.CurrentCulture.DateTimeFormat.ShortTimePattern, CultureInfo.CurrentCulture);

    /// <summary>A short date and time for lists.</summary>
    public string Short(DateTimeOffset instant) => Local(instant).ToString("g", CultureInfo.CurrentCulture);

    public string Date(DateTimeOffset instant) => Local(instant).ToString("d", CultureInfo.CurrentCulture);

    public string Date(DateOnly date) => date.ToString("d", CultureInfo.CurrentCulture);

    public string Money(decimal amount, string currency)
    {
        var format = (NumberFormatInfo)CultureInfo.CurrentCulture.NumberFormat.Clone();
        format.CurrencySymbol = CurrencySymbol(currency);
        return amount.ToString("C", format);
    }

    public string Number(decimal value, int decimals = 2) => value.ToString("N" + decimals, CultureInfo.CurrentCulture);

    public string Size(long bytes) => bytes switch
    {
        < 1024 => text["Size.Bytes", bytes],
        < 1024 * 1024 => text["Size.KiB", (bytes / 1024.0).ToString("0.#", CultureInfo.CurrentCulture)],
        _ => text["Size.MiB", (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.CurrentCulture)],
    };

    public string Minutes(int minutes) => minutes < 60
        ? text["Duration.Minutes", minutes]
        : text["Duration.HoursMinutes", minutes / 60, minutes % 60];

    public static TimeZoneInfo FindZone(string? id)
    {
        if (!string.IsNullOrEmpty(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found))
        {
            return found;
        }

        return TimeZoneInfo.Utc;
    }

    private static readonly Dictionary<string, string> Symbols = new(StringComparer.OrdinalIgnoreCase) { ["EUR"] = "€", ["USD"] = "$", ["GBP"] = "£" };

    /// <summary>The currency's own sign where it is unambiguous (€, £, $), else its ISO code (CHF).</summary>
    public static string CurrencySymbol(string currency) => Symbols.TryGetValue(currency, out var symbol) ? symbol : currency.ToUpperInvariant();
}
