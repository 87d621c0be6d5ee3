namespace Msp.Contracts.Billing;

/// <summary>An invoice or a credit note was issued: it has its number and will never change.</summary>
public sealed record InvoiceIssued : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid InvoiceId { get; init; }
    public required string Number { get; init; }

    /// <summary><c>Invoice</c> or <c>CreditNote</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The month invoiced, <c>YYYY-MM</c>.</summary>
    public required string Period { get; init; }

    public required string Currency { get; init; }
    public required decimal Total { get; init; }
    public required DateOnly DueOn { get; init; }

    /// <summary>For a credit note, the invoice it voids.</summary>
    public Guid? Voids { get; init; }

    /// <summary>The billing account's contact address, where the mail service sends the invoice notice; absent when
    /// none is set (the tenant's ClientAdmins get it then).</summary>
    public string? BillingContact { get; init; }
}

/// <summary>A tenant has used <see cref="ThresholdPercent"/> % (80 or 95) of the prepaid hours of a block-hours contract.
/// Published once per threshold for the hours bought; buying more hours arms it again.</summary>
public sealed record BlockHoursLow : IIntegrationEvent
{
    public required Guid EventId { get; init; }
    public required Guid TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid ContractId { get; init; }
    public required int ThresholdPercent { get; init; }
    public required decimal HoursBought { get; init; }
    public required decimal HoursUsed { get; init; }
    public required decimal HoursLeft { get; init; }
}
