using System.Text.Json.Serialization;

namespace Msp.Billing.Domain;

/// <summary>When a billing account pays its recurring fees: with the month's time once the month is over (in arrears),
/// or at the start of the month, with the time of the month before (in advance).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FeeTiming>))]
public enum FeeTiming
{
    /// <summary>A month's invoice bills that month's fees and that month's time.</summary>
    Arrears,

    /// <summary>A month's invoice bills that month's fees and the time of the month before.</summary>
    Advance,
}

/// <summary>Which month's time an invoice bills.</summary>
/// <param name="Month">The month whose time (and SLA breaches) the invoice bills as new.</param>
/// <param name="Ended">Whether that month is over: a month still running bills none of its time yet.</param>
public readonly record struct TimeMonth(BillingPeriod Month, bool Ended)
{
    /// <summary>The time month of the invoice of <paramref name="period"/>: the period in arrears, the month before in
    /// advance; ended when <paramref name="today"/> is past its last day.</summary>
    public static TimeMonth Of(BillingPeriod period, FeeTiming timing, DateOnly today)
    {
        var month = timing == FeeTiming.Advance ? BillingPeriod.Before(period.Start) : period;
        return new TimeMonth(month, today >= month.End);
    }
}
