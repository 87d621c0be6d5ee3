using System.Globalization;

namespace Msp.Web.OperatorConsole;

/// <summary>Billing months as the user's language writes them (<c>2026-10</c> is "October 2026").</summary>
public static class InvoicingFormats
{
    public static string Month(string period) =>
        DateTime.TryParseExact(period, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month) ? month.ToString("Y", CultureInfo.CurrentCulture) : period;

    public static bool IsPeriod(string? period) =>
        period is { Length: 7 } && DateTime.TryParseExact(period, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
}
