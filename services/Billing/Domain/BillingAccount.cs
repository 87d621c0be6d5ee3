namespace Msp.Billing.Domain;

/// <summary>How a tenant is billed: the currency its invoices are in, the tax rate on them, who receives them, and how
/// many days it has to pay. Opened with the provider's defaults when the tenant is created; Operators change it.</summary>
public sealed class BillingAccount
{
    /// <summary>The currency of the countries the platform knows; any other country starts on the configured default.</summary>
    private static readonly Dictionary<string, string> CurrencyOfCountry = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AT"] = "EUR", ["BE"] = "EUR", ["DE"] = "EUR", ["ES"] = "EUR", ["FI"] = "EUR", ["FR"] = "EUR", ["GR"] = "EUR", ["IE"] = "EUR",
        ["IT"] = "EUR", ["LU"] = "EUR", ["NL"] = "EUR", ["PT"] = "EUR", ["AU"] = "AUD", ["CA"] = "CAD", ["CH"] = "CHF", ["DK"] = "DKK",
        ["GB"] = "GBP", ["JP"] = "JPY", ["NO"] = "NOK", ["NZ"] = "NZD", ["PL"] = "PLN", ["SE"] = "SEK", ["US"] = "USD", ["ZA"] = "ZAR",
    };

    private BillingAccount()
    {
    }

    public Guid TenantId { get; private set; }

    /// <summary>ISO 4217 code.</summary>
    public string Currency { get; private set; } = "";

    /// <summary>Percent, 0 to 100 (20 is 20 %). Opened at the rate configured for the tenant's country.</summary>
    public decimal TaxRatePercent { get; private set; }

    /// <summary>Invoices go out without tax: worth a look (a reverse charge, or a country missing from the table).</summary>
    public bool ZeroTax => TaxRatePercent == 0;

    public string? BillingContact { get; private set; }

    public int PaymentTermsDays { get; private set; }

    /// <summary>Recurring fees in arrears (the default) or in advance; see <see cref="Domain.TimeMonth"/>.</summary>
    public FeeTiming FeeTiming { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public uint RowVersion { get; private set; }

    public static BillingAccount Open(Guid tenantId, string country, BillingDefaults defaults, DateTimeOffset now) => new()
    {
        TenantId = tenantId,
        Currency = CurrencyOfCountry.GetValueOrDefault(country, defaults.Currency),
        TaxRatePercent = defaults.TaxRateOf(country),
        PaymentTermsDays = defaults.PaymentTermsDays,
        CreatedAt = now,
        UpdatedAt = now,
    };

    public void Change(string currency, decimal taxRatePercent, string? billingContact, int paymentTermsDays, FeeTiming feeTiming, DateTimeOffset now) =>
        (Currency, TaxRatePercent, BillingContact, PaymentTermsDays, FeeTiming, UpdatedAt) = (currency, taxRatePercent, billingContact, paymentTermsDays, feeTiming, now);
}

/// <summary>What a new billing account starts with (<c>Msp:Billing</c>).</summary>
public sealed class BillingDefaults
{
    public const string Section = "Msp:Billing";

    public string Currency { get; set; } = "EUR";

    /// <summary>The tax rate of a country no entry of <see cref="TaxRates"/> names.</summary>
    public decimal TaxRatePercent { get; set; }

    /// <summary>The tax rate a new account starts with, per ISO 3166 country code (<c>Msp:Billing:TaxRates:DE</c> = 19).</summary>
    public Dictionary<string, decimal> TaxRates { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public int PaymentTermsDays { get; set; } = 30;

    public decimal TaxRateOf(string country) =>
        TaxRates.FirstOrDefault(r => string.Equals(r.Key, country, StringComparison.OrdinalIgnoreCase)) is { Key: not null } rate ? rate.Value : TaxRatePercent;
}
