using System.Globalization;
using Msp.Web.Api;
using Msp.Web.Components;

namespace Msp.Web.OperatorConsole.Clients;

/// <summary>The new-contract form's fields as posted, kept as typed so that a refused form shows them again; turned into
/// the API's request once every number and date reads as one.</summary>
public sealed class ContractForm
{
    public static readonly string[] Kinds = ["ManagedServices", "BlockHours", "TimeAndMaterials"];

    public static readonly string[] Units = ["PerUser", "PerDevice", "Flat"];

    /// <summary>The fields the API may name, as its problem documents do (compared without case).</summary>
    public static readonly string[] Fields =
    [
        "name", "kind", "startsOn", "endsOn", "fee", "fee.unit", "fee.monthlyUnitPrice", "fee.quantity", "blocks", "blocks[0]", "blocks[0].hours",
        "blocks[0].price", "blocks[0].expiresOn", "blocks[0].purchasedOn", "overageRate", "defaultRate", "slaCredit.percentPerBreach", "slaCredit.capPercent",
    ];

    public string? Kind { get; set; }

    public string? Name { get; set; }

    public string? StartsOn { get; set; }

    public string? EndsOn { get; set; }

    public string? FeeUnit { get; set; }

    public string? FeePrice { get; set; }

    public string? FeeQuantity { get; set; }

    public string? BlockHours { get; set; }

    public string? BlockPrice { get; set; }

    public string? BlockExpiresOn { get; set; }

    public string? OverageRate { get; set; }

    public string? DefaultRate { get; set; }

    public string? CreditPercent { get; set; }

    public string? CreditCap { get; set; }

    /// <summary>The request, or null with the fields that do not read as numbers or dates named in <paramref name="errors"/>.
    /// What the values mean (required, ranges) is the API's to say.</summary>
    public NewContract? ToRequest(Guid tenantId, string kind, FormErrors errors, string notANumber, string notADate, string bothOrNeither)
    {
        var startsOn = ReadDate(StartsOn, "startsOn", errors, notADate);
        var endsOn = ReadDate(EndsOn, "endsOn", errors, notADate);
        NewFee? fee = kind == "ManagedServices"
            ? new NewFee(FeeUnit ?? "", ReadNumber(FeePrice, "fee.monthlyUnitPrice", errors, notANumber), ReadNumber(FeeQuantity, "fee.quantity", errors, notANumber))
            : null;
        IReadOnlyList<NewBlock>? blocks = kind == "BlockHours"
            ? [new NewBlock(startsOn, ReadNumber(BlockHours, "blocks[0].hours", errors, notANumber), ReadNumber(BlockPrice, "blocks[0].price", errors, notANumber),
                ReadDate(BlockExpiresOn, "blocks[0].expiresOn", errors, notADate))]
            : null;
        var overage = kind == "BlockHours" ? ReadNumber(OverageRate, "overageRate", errors, notANumber) : null;
        var rate = kind == "TimeAndMaterials" ? ReadNumber(DefaultRate, "defaultRate", errors, notANumber) : null;

        // The SLA credit rule is optional: both of its figures, or neither.
        NewSlaCredit? credit = null;
        var percent = ReadNumber(CreditPercent, "slaCredit.percentPerBreach", errors, notANumber);
        var cap = ReadNumber(CreditCap, "slaCredit.capPercent", errors, notANumber);
        if (percent is not null && cap is not null)
        {
            credit = new NewSlaCredit(percent, cap);
        }
        else if (percent is not null || cap is not null)
        {
            errors.Add(percent is null ? "slaCredit.percentPerBreach" : "slaCredit.capPercent", bothOrNeither);
        }

        return errors.Any ? null : new NewContract(tenantId, Name?.Trim() ?? "", kind, startsOn, endsOn, fee, blocks, overage, rate, credit);
    }

    /// <summary>A number as typed (a decimal comma is read as a point); blank is null.</summary>
    public static decimal? ReadNumber(string? text, string field, FormErrors errors, string message)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (decimal.TryParse(text.Trim().Replace(',', '.'), NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add(field, message);
        return null;
    }

    /// <summary>A date as a date input posts it (yyyy-MM-dd); blank is null.</summary>
    public static DateOnly? ReadDate(string? text, string field, FormErrors errors, string message)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors.Add(field, message);
        return null;
    }
}
