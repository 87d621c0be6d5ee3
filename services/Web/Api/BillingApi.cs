namespace Msp.Web.Api;

public sealed record InvoiceSummary(
    Guid Id, string Period, string Kind, string Status, string? Number, string Currency, decimal Subtotal, decimal Tax, decimal Total,
    DateTimeOffset? IssuedAt, DateOnly? DueOn);

public sealed record InvoiceLine(string Kind, string Description, decimal Quantity, decimal UnitPrice, decimal Amount, int Minutes, string? WorkType);

public sealed record Invoice(
    Guid Id, string Period, string Kind, string Status, string? Number, string Currency, decimal TaxRatePercent, IReadOnlyList<InvoiceLine> Lines,
    decimal Subtotal, decimal Tax, decimal Total, DateTimeOffset? IssuedAt, DateOnly? DueOn, DateTimeOffset? PaidAt);

public sealed record BlockHoursBalance(Guid ContractId, string Name, decimal HoursBought, decimal HoursInvoiced, decimal HoursUsed, decimal HoursLeft, decimal PercentUsed);

public sealed record BlockHours(IReadOnlyList<BlockHoursBalance> Contracts);

/// <summary>A tenant's invoices and prepaid hours, through the gateway.</summary>
public sealed partial class BillingApi(HttpClient http) : ApiClient(http)
{
    public Task<Page<InvoiceSummary>> InvoicesAsync(Guid tenantId, string? cursor, CancellationToken ct) =>
        GetAsync<Page<InvoiceSummary>>(Query("/api/billing/invoices", ("tenantId", tenantId.ToString()), ("cursor", cursor), ("limit", "50")), "Invoices", ct);

    public Task<Invoice> InvoiceAsync(Guid id, CancellationToken ct) => GetAsync<Invoice>($"/api/billing/invoices/{id}", "The invoice", ct);

    public Task<BlockHours> BlockHoursAsync(Guid tenantId, CancellationToken ct) =>
        GetAsync<BlockHours>($"/api/billing/tenants/{tenantId}/block-hours", "Block hours", ct);
}
