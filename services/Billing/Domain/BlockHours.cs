namespace Msp.Billing.Domain;

/// <summary>The prepaid hours of a block-hours contract: bought, used (on issued invoices, and by the time not invoiced
/// yet, drawn the way the next invoice will draw it) and left.</summary>
public sealed record BlockHoursBalance(Guid ContractId, string Name, decimal HoursBought, decimal HoursInvoiced, decimal HoursUsed, IReadOnlyList<BlockBalance> Blocks)
{
    public decimal HoursLeft => HoursBought - HoursUsed;

    public decimal PercentUsed => HoursBought == 0 ? 0 : Math.Round(HoursUsed * 100 / HoursBought, 1, MidpointRounding.AwayFromZero);

    /// <summary>The thresholds of used hours (percent) that warn the tenant and its account manager.</summary>
    public static readonly int[] Thresholds = [80, 95];

    public IEnumerable<int> ThresholdsReached => Thresholds.Where(t => HoursBought > 0 && HoursUsed * 100 >= HoursBought * t);

    public static BlockHoursBalance Of(Contract contract, IReadOnlyDictionary<Guid, int> invoiced, IReadOnlyDictionary<Guid, int> used, DateOnly today)
    {
        var blocks = contract.Blocks.OrderBy(b => b.PurchasedOn).ThenBy(b => b.Id).Select(b => new BlockBalance(
            b.Id, b.PurchasedOn, b.ExpiresOn, b.Hours, InvoiceMath.Hours(Math.Min(used.GetValueOrDefault(b.Id), b.Minutes)),
            b.ExpiresOn is { } expires && expires < today)).ToList();
        return new BlockHoursBalance(contract.Id, contract.Name, blocks.Sum(b => b.Hours),
            InvoiceMath.Hours(contract.Blocks.Sum(b => Math.Min(invoiced.GetValueOrDefault(b.Id), b.Minutes))), blocks.Sum(b => b.HoursUsed), blocks);
    }
}

public sealed record BlockBalance(Guid Id, DateOnly PurchasedOn, DateOnly? ExpiresOn, decimal Hours, decimal HoursUsed, bool Expired)
{
    public decimal HoursLeft => Hours - HoursUsed;
}

/// <summary>A <c>BlockHoursLow</c> already sent: once per contract, threshold and hours bought (buying more arms it again).</summary>
public sealed record BlockAlert(Guid ContractId, int ThresholdPercent, decimal HoursBought, Guid TenantId, DateTimeOffset SentAt);
