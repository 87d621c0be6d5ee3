using Msp.Testing;

namespace Msp.Billing.Tests.Features;

/// <summary>The access matrix over every endpoint of the Billing service.</summary>
[Collection(nameof(BillingCollection))]
public sealed class AccessMatrixTests(ServiceFactory<Program> services) : AccessMatrixContract<Program>(services)
{
    private readonly ServiceFactory<Program> factory = services;

    private const string Period = "2024-06";

    protected override int MinimumEndpoints => 18;

    protected override async Task<Guid> CreateTenantAsync() => (await factory.TenantAsync()).Id;

    /// <summary>The tenant's account, a block-hours contract, and an issued invoice.</summary>
    protected override async Task<IReadOnlyDictionary<string, Guid>> SeedAsync(Guid tenantId)
    {
        var op = await factory.OperatorAsync();
        await op.PutAsync($"/api/billing/accounts/{tenantId}", System.Net.Http.Json.JsonContent.Create(new { currency = "EUR", taxRatePercent = 20, paymentTermsDays = 30 }));
        var contract = await BillingSeed.BlockHoursAsync(op, tenantId, new DateOnly(2024, 6, 1));
        await factory.TimeAsync(tenantId, new DateOnly(2024, 6, 3), 90);
        var run = await BillingSeed.RunAsync(op, Period);
        var invoice = await BillingSeed.IssueAsync(op, (await BillingSeed.InvoiceAsync(op, tenantId, Period)).Id);
        // The relay marks the seeded events published; the matrix's before-and-after snapshots must not see that happen.
        await Eventually.HoldsAsync(async () => await factory.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox WHERE tenant_id = $1 AND published_at IS NULL", tenantId) == 0, TimeSpan.FromSeconds(10), "the seeded events are published");
        return new Dictionary<string, Guid>
        {
            ["/api/billing/accounts"] = tenantId,
            ["/api/billing/contracts"] = contract.Id,
            ["/api/billing/invoices"] = invoice.Id,
            ["/api/billing/tenants"] = tenantId,
            ["/api/billing/invoice-runs"] = run.Id,
        };
    }

    protected override async Task<HttpClient> SignedInAsync(Caller caller) => factory.ClientFor(await factory.UserAsync(caller));

    protected override object? Body(ApiEndpoint endpoint, Guid tenantId) => endpoint.Name switch
    {
        "PUT /api/billing/accounts/{tenantId:guid}" => new { currency = "USD", taxRatePercent = 10, paymentTermsDays = 15 },
        "POST /api/billing/contracts" => new { tenantId, name = "Matrix", kind = "TimeAndMaterials", startsOn = "2024-06-01", defaultRate = 100 },
        "POST /api/billing/contracts/{id:guid}/quantities" => new { effectiveFrom = "2024-07-01", quantity = 2 },
        "POST /api/billing/contracts/{id:guid}/blocks" => new { purchasedOn = "2024-07-01", hours = 5, price = 450 },
        "POST /api/billing/contracts/{id:guid}/end" => new { endsOn = "2024-12-31" },
        "POST /api/billing/invoice-runs" => new { period = Period },
        _ => null,
    };
}
