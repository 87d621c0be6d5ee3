using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Msp.Web.Api;

/// <summary>An invoice or credit note in a list, with the client it is for.</summary>
public sealed record InvoiceRow(
    Guid Id, Guid TenantId, string Period, string Kind, string Status, string? Number, string Currency, decimal Subtotal, decimal Tax, decimal Total,
    DateTimeOffset? IssuedAt, DateOnly? DueOn);

public sealed record DocumentLine(string Kind, string Description, decimal Quantity, decimal UnitPrice, decimal Amount, int Minutes, string? WorkType, Guid? ContractId);

/// <summary>One invoice or credit note, every line, as staff read it.</summary>
public sealed record InvoiceDocument(
    Guid Id, Guid TenantId, string Period, string Kind, string Status, string? Number, string Currency, decimal TaxRatePercent, IReadOnlyList<DocumentLine> Lines,
    decimal Subtotal, decimal Tax, decimal Total, DateTimeOffset? IssuedAt, DateOnly? DueOn, DateTimeOffset? PaidAt);

public sealed record VoidResult(InvoiceDocument Invoice, InvoiceDocument CreditNote);

/// <summary>A run of a month's invoices, carried out in the background: its progress (tenants done of the total, 0 while
/// queued), and what it did to their invoices.</summary>
public sealed record InvoiceRunRecord(
    Guid Id, string Period, string Trigger, string Status, Guid? RequestedBy, DateTimeOffset QueuedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt, int TenantsTotal, int TenantsDone, int Created, int Updated, int Unchanged, int Issued, string? Error)
{
    public bool Finished => Status is "Succeeded" or "Failed";
}

/// <summary>Minutes worked for one client in one work type during a month, billable and not.</summary>
public sealed record TimeReportRow(Guid TenantId, string WorkType, int BillableMinutes, int NonBillableMinutes);

public sealed record TimeReportData(string Period, IReadOnlyList<TimeReportRow> Rows);

public sealed record ContractFee(string Unit, decimal MonthlyUnitPrice, IReadOnlyList<ContractQuantity> Quantities);

public sealed record ContractQuantity(DateOnly EffectiveFrom, decimal Quantity);

public sealed record ContractBlock(Guid Id, DateOnly PurchasedOn, decimal Hours, decimal Price, DateOnly? ExpiresOn);

public sealed record SlaCredit(decimal PercentPerBreach, decimal CapPercent);

public sealed record ContractRow(
    Guid Id, Guid TenantId, string Name, string Kind, string Status, DateOnly StartsOn, DateOnly? EndsOn, Guid? SlaPolicyId, ContractFee? Fee,
    IReadOnlyList<ContractBlock> Blocks, decimal? OverageRate, IReadOnlyDictionary<string, decimal> Rates, decimal? DefaultRate, SlaCredit? SlaCredit);

/// <summary>A new contract as the console sends it; what the kind does not use is left null (and so left out).</summary>
public sealed record NewContract(
    Guid TenantId, string Name, string Kind, DateOnly? StartsOn, DateOnly? EndsOn, NewFee? Fee, IReadOnlyList<NewBlock>? Blocks,
    decimal? OverageRate, decimal? DefaultRate, NewSlaCredit? SlaCredit);

public sealed record NewFee(string Unit, decimal? MonthlyUnitPrice, decimal? Quantity);

public sealed record NewBlock(DateOnly? PurchasedOn, decimal? Hours, decimal? Price, DateOnly? ExpiresOn);

public sealed record NewSlaCredit(decimal? PercentPerBreach, decimal? CapPercent);

public sealed record BillingAccount(Guid TenantId, string Currency, decimal TaxRatePercent, string? BillingContact, int PaymentTermsDays);

/// <summary>The console's calls to Billing: runs, documents and their life, contracts and accounts.</summary>
public sealed partial class BillingApi
{
    public Task<Page<InvoiceRow>> DocumentsAsync(string? period, Guid? tenantId, string? cursor, CancellationToken ct) =>
        GetAsync<Page<InvoiceRow>>(DocumentsQuery(period, tenantId, cursor), "Invoices", ct);

    private static string DocumentsQuery(string? period, Guid? tenantId, string? cursor) =>
        Query("/api/billing/invoices", ("period", period), ("tenantId", tenantId?.ToString()), ("cursor", cursor), ("limit", "200"));

    /// <summary>Every document of a month (or a client), all pages.</summary>
    public Task<List<InvoiceRow>> AllDocumentsAsync(string? period, Guid? tenantId, CancellationToken ct) =>
        AllPagesAsync<InvoiceRow>(cursor => DocumentsQuery(period, tenantId, cursor), "Invoices", ct);

    public Task<InvoiceDocument> DocumentAsync(Guid id, CancellationToken ct) => GetAsync<InvoiceDocument>($"/api/billing/invoices/{id}", "The invoice", ct);

    /// <summary>Queues a run of the month; while one is already under way, answers that one instead (either way, the
    /// page follows the run answered).</summary>
    public async Task<InvoiceRunRecord> RunAsync(string period, CancellationToken ct)
    {
        using var response = await Http.PostAsJsonAsync("/api/billing/invoice-runs", new { period }, Json, ct);
        if (response.StatusCode == HttpStatusCode.Conflict
            && (await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct)).TryGetProperty("runId", out var runId) && runId.TryGetGuid(out var underWay))
        {
            return await RunAsync(underWay, ct);
        }

        await EnsureAsync(response, "The invoice run", ct);
        return (await response.Content.ReadFromJsonAsync<InvoiceRunRecord>(Json, ct))!;
    }

    public Task<TimeReportData> TimeReportAsync(string period, CancellationToken ct) =>
        GetAsync<TimeReportData>($"/api/billing/reports/time?period={Uri.EscapeDataString(period)}", "The time report", ct);

    public Task<InvoiceRunRecord> RunAsync(Guid id, CancellationToken ct) =>
        GetAsync<InvoiceRunRecord>($"/api/billing/invoice-runs/{id}", "The invoice run", ct);

    public Task<Page<InvoiceRunRecord>> RunsAsync(int limit, CancellationToken ct) =>
        GetAsync<Page<InvoiceRunRecord>>($"/api/billing/invoice-runs?limit={limit.ToString(CultureInfo.InvariantCulture)}", "Invoice runs", ct);

    public Task<InvoiceDocument> IssueAsync(Guid id, CancellationToken ct) =>
        SendAsync<InvoiceDocument>(HttpMethod.Post, $"/api/billing/invoices/{id}/issue", null, "The invoice", ct);

    public Task<VoidResult> VoidAsync(Guid id, CancellationToken ct) =>
        SendAsync<VoidResult>(HttpMethod.Post, $"/api/billing/invoices/{id}/void", null, "The invoice", ct);

    public Task<InvoiceDocument> MarkPaidAsync(Guid id, CancellationToken ct) =>
        SendAsync<InvoiceDocument>(HttpMethod.Post, $"/api/billing/invoices/{id}/paid", null, "The invoice", ct);

    /// <summary>The month's issued documents as the API exports them (CSV or JSON), with the API's content type.</summary>
    public async Task<(byte[] Content, string ContentType)> ExportAsync(string period, string format, CancellationToken ct)
    {
        using var response = await Http.GetAsync(Query("/api/billing/invoices/export", ("period", period), ("format", format)), ct);
        await EnsureAsync(response, "The export", ct);
        return (await response.Content.ReadAsByteArrayAsync(ct), response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream");
    }

    public Task<Page<ContractRow>> ContractsAsync(Guid tenantId, CancellationToken ct) =>
        GetAsync<Page<ContractRow>>($"/api/billing/contracts?tenantId={tenantId}&limit=100", "Contracts", ct);

    public Task<BillingAccount> AccountAsync(Guid tenantId, CancellationToken ct) =>
        GetAsync<BillingAccount>($"/api/billing/accounts/{tenantId}", "The billing account", ct);

    /// <summary>Activates a contract; a 400 names the fields at fault as the API's JSON does (<c>fee.unit</c>,
    /// <c>Blocks[0].Hours</c>, <c>slaCredit.capPercent</c>, …).</summary>
    public Task<ContractRow> CreateContractAsync(NewContract contract, CancellationToken ct) =>
        SendAsync<ContractRow>(HttpMethod.Post, "/api/billing/contracts", contract, "A contract", ct);

    /// <summary>The fee's new quantity from a date on; the invoices from then prorate it by days.</summary>
    public Task<ContractRow> ChangeQuantityAsync(Guid id, DateOnly? effectiveFrom, decimal? quantity, CancellationToken ct) =>
        SendAsync<ContractRow>(HttpMethod.Post, $"/api/billing/contracts/{id}/quantities", new { effectiveFrom, quantity }, "The contract", ct);

    public Task<ContractRow> BuyBlockAsync(Guid id, NewBlock block, CancellationToken ct) =>
        SendAsync<ContractRow>(HttpMethod.Post, $"/api/billing/contracts/{id}/blocks", block, "The contract", ct);

    /// <summary>Ends the contract on its last day.</summary>
    public Task<ContractRow> EndContractAsync(Guid id, DateOnly? endsOn, CancellationToken ct) =>
        SendAsync<ContractRow>(HttpMethod.Post, $"/api/billing/contracts/{id}/end", new { endsOn }, "The contract", ct);
}
