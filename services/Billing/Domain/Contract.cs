using System.Text.Json.Serialization;
using Msp.Contracts;
using Msp.Contracts.Billing;

namespace Msp.Billing.Domain;

[JsonConverter(typeof(JsonStringEnumConverter<ContractKind>))]
public enum ContractKind
{
    /// <summary>A recurring monthly fee per user, per device or flat; the time worked is included.</summary>
    ManagedServices,

    /// <summary>Prepaid hours bought for a price, drawn by billable time; beyond them, overage at the overage rate.</summary>
    BlockHours,

    /// <summary>Billable time at an hourly rate per work type, or the default rate.</summary>
    TimeAndMaterials,
}

[JsonConverter(typeof(JsonStringEnumConverter<ContractStatus>))]
public enum ContractStatus
{
    Active,
    Ended,
}

/// <summary>What a tenant bought, from a start date to an optional end. Any kind may carry a recurring fee (a managed
/// service must); block hours carry their blocks and an overage rate; time and materials its rates. A contract may name
/// the SLA policy it sells and the credit an SLA breach earns.</summary>
public sealed class Contract
{
    private Contract()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public string Name { get; private set; } = "";

    public ContractKind Kind { get; private set; }

    public ContractStatus Status { get; private set; }

    public DateOnly StartsOn { get; private set; }

    public DateOnly? EndsOn { get; private set; }

    public Guid? SlaPolicyId { get; private set; }

    public RecurringFee? Fee { get; private set; }

    public List<HourBlock> Blocks { get; private set; } = [];

    public decimal? OverageRate { get; private set; }

    public Dictionary<string, decimal> Rates { get; private set; } = [];

    public decimal? DefaultRate { get; private set; }

    public SlaCreditRule? SlaCredit { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public uint RowVersion { get; private set; }

    public ContractTerms Terms => new(StartsOn, EndsOn, Fee, Blocks, OverageRate, Rates, DefaultRate, SlaCredit);

    /// <summary>A contract in effect from <paramref name="startsOn"/>, and the event that says so.</summary>
    public static (Contract Contract, ContractActivated Activated) Activate(
        Guid tenantId, string name, ContractKind kind, DateOnly startsOn, DateOnly? endsOn, Guid? slaPolicyId, RecurringFee? fee,
        IEnumerable<HourBlock> blocks, decimal? overageRate, IReadOnlyDictionary<string, decimal>? rates, decimal? defaultRate,
        SlaCreditRule? credit, DateTimeOffset now)
    {
        var contract = new Contract
        {
            Id = Guid.CreateVersion7(), TenantId = tenantId, Name = name, Kind = kind, Status = ContractStatus.Active,
            StartsOn = startsOn, EndsOn = endsOn, SlaPolicyId = slaPolicyId, Fee = fee, Blocks = [.. blocks], OverageRate = overageRate,
            Rates = rates is null ? [] : new Dictionary<string, decimal>(rates), DefaultRate = defaultRate, SlaCredit = credit,
            CreatedAt = now, UpdatedAt = now,
        };
        return (contract, new ContractActivated
        {
            EventId = EventIds.New(), TenantId = tenantId, OccurredAt = now, ContractId = contract.Id, Kind = kind.ToString(),
            StartsOn = startsOn, EndsOn = endsOn, SlaPolicyId = slaPolicyId,
        });
    }

    public bool Covers(DateOnly day) => day >= StartsOn && (EndsOn is null || day <= EndsOn);

    /// <summary>Why the contract cannot change any more, or null when it can.</summary>
    public string? Closed => Status == ContractStatus.Ended ? "The contract has ended; it can no longer change." : null;

    /// <summary>Sets the fee's quantity from a date on (a second change on the same date replaces the first).</summary>
    public string? ChangeQuantity(DateOnly effectiveFrom, decimal quantity, DateTimeOffset now)
    {
        if (Closed is { } closed)
        {
            return closed;
        }

        if (Fee is null)
        {
            return "The contract has no recurring fee to change the quantity of.";
        }

        if (!Covers(effectiveFrom))
        {
            return $"The change must take effect while the contract runs ({StartsOn:yyyy-MM-dd} to {EndsOn?.ToString("yyyy-MM-dd") ?? "open"}).";
        }

        Fee = Fee with { Quantities = [.. Fee.Quantities.Where(q => q.EffectiveFrom != effectiveFrom), new QuantityChange(effectiveFrom, quantity)] };
        UpdatedAt = now;
        return null;
    }

    /// <summary>Adds a block of prepaid hours, billed on the invoice of the month it is bought in.</summary>
    public (HourBlock? Block, string? Error) BuyBlock(DateOnly purchasedOn, decimal hours, decimal price, DateOnly? expiresOn, DateTimeOffset now)
    {
        if (Closed is { } closed)
        {
            return (null, closed);
        }

        if (Kind != ContractKind.BlockHours)
        {
            return (null, "Only a block-hours contract takes blocks of hours.");
        }

        if (!Covers(purchasedOn))
        {
            return (null, $"A block is bought while the contract runs ({StartsOn:yyyy-MM-dd} to {EndsOn?.ToString("yyyy-MM-dd") ?? "open"}).");
        }

        var block = new HourBlock(Guid.CreateVersion7(), purchasedOn, hours, price, expiresOn);
        Blocks = [.. Blocks, block];
        UpdatedAt = now;
        return (block, null);
    }

    /// <summary>Ends the contract on <paramref name="endedOn"/> (its last day), and the event that says so.</summary>
    public (ContractEnded? Ended, string? Error) End(DateOnly endedOn, DateTimeOffset now)
    {
        if (Closed is { } closed)
        {
            return (null, closed);
        }

        if (endedOn < StartsOn)
        {
            return (null, $"A contract cannot end before it starts ({StartsOn:yyyy-MM-dd}).");
        }

        (Status, EndsOn, UpdatedAt) = (ContractStatus.Ended, EndsOn is { } planned && planned < endedOn ? planned : endedOn, now);
        return (new ContractEnded { EventId = EventIds.New(), TenantId = TenantId, OccurredAt = now, ContractId = Id, EndedOn = EndsOn!.Value }, null);
    }
}
