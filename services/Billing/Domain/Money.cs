namespace Msp.Billing.Domain;

/// <summary>ISO 4217 currencies and their minor units. Amounts are <c>decimal</c>; every invoice line is rounded to the
/// currency's minor unit, half away from zero, and totals are sums of rounded lines.</summary>
public static class Currencies
{
    /// <summary>The currencies whose minor unit is not the usual hundredth; every other known code has two decimals.</summary>
    private static readonly Dictionary<string, int> Exceptions = new(StringComparer.Ordinal)
    {
        ["BIF"] = 0, ["CLP"] = 0, ["DJF"] = 0, ["GNF"] = 0, ["ISK"] = 0, ["JPY"] = 0, ["KMF"] = 0, ["KRW"] = 0, ["PYG"] = 0,
        ["RWF"] = 0, ["UGX"] = 0, ["UYI"] = 0, ["VND"] = 0, ["VUV"] = 0, ["XAF"] = 0, ["XOF"] = 0, ["XPF"] = 0,
        ["BHD"] = 3, ["IQD"] = 3, ["JOD"] = 3, ["KWD"] = 3, ["LYD"] = 3, ["OMR"] = 3, ["TND"] = 3,
        ["CLF"] = 4, ["UYW"] = 4,
    };

    /// <summary>Codes the platform bills in; the rest of ISO 4217 is a data change away.</summary>
    private static readonly HashSet<string> Known =
    [
        .. Exceptions.Keys,
        "AED", "AUD", "BRL", "CAD", "CHF", "CNY", "CZK", "DKK", "EUR", "GBP", "HKD", "HUF", "ILS", "INR", "MAD", "MXN", "NOK", "NZD",
        "PLN", "RON", "SEK", "SGD", "THB", "TRY", "USD", "ZAR",
    ];

    public static bool IsKnown(string? code) => code is not null && Known.Contains(code);

    public static int MinorUnits(string code) =>
        IsKnown(code) ? Exceptions.GetValueOrDefault(code, 2) : throw new ArgumentException($"Unknown currency '{code}'.", nameof(code));

    /// <summary>Rounds to the currency's minor unit, half away from zero (0.125 EUR → 0.13, −0.125 EUR → −0.13).</summary>
    public static decimal Round(decimal amount, string code) => Math.Round(amount, MinorUnits(code), MidpointRounding.AwayFromZero);
}
