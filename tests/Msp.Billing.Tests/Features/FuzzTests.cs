using System.Text.Json.Nodes;
using Msp.Testing;
using Msp.Testing.Fuzzing;
using Xunit.Abstractions;

namespace Msp.Billing.Tests.Features;

/// <summary>The generated fuzz suite over every operation of the Billing service (see <see cref="FuzzContract{TProgram}"/>).</summary>
[Collection(nameof(BillingCollection))]
public sealed class FuzzTests(ServiceFactory<Program> services, ITestOutputHelper output) : FuzzContract<Program>(services, output)
{
    private readonly ServiceFactory<Program> factory = services;

    private const string Period = "2024-06";
    private Guid policy;

    protected override int MinimumOperations => 17;

    protected override async Task<Guid> CreateTenantAsync() => (await factory.TenantAsync()).Id;

    protected override async Task<HttpClient> SignedInAsync(Caller caller) => factory.ClientFor(await factory.UserAsync(caller));

    /// <summary>The tenant's account, a block-hours contract, an issued invoice, and an SLA policy Billing knows.</summary>
    protected override async Task<IReadOnlyDictionary<string, Guid>> SeedAsync(Guid tenantId, HttpClient client, HttpClient staff)
    {
        await staff.PutAsync($"/api/billing/accounts/{tenantId}", System.Net.Http.Json.JsonContent.Create(new { currency = "EUR", taxRatePercent = 20, paymentTermsDays = 30 }));
        var contract = await BillingSeed.BlockHoursAsync(staff, tenantId, new DateOnly(2024, 6, 1));
        await factory.TimeAsync(tenantId, new DateOnly(2024, 6, 3), 90);
        await BillingSeed.RunAsync(staff, Period);
        var invoice = await BillingSeed.IssueAsync(staff, (await BillingSeed.InvoiceAsync(staff, tenantId, Period)).Id);
        policy = await factory.SlaPolicyAsync();
        await Eventually.HoldsAsync(async () => await factory.Database.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0,
            TimeSpan.FromSeconds(15), "the seeded events are published, so that the relay changes nothing during the run");
        return new Dictionary<string, Guid>
        {
            ["/api/billing/accounts"] = tenantId,
            ["/api/billing/contracts"] = contract.Id,
            ["/api/billing/invoices"] = invoice.Id,
            ["/api/billing/tenants"] = tenantId,
        };
    }

    /// <summary>An accepted invoice run goes on in the background, writing its progress.</summary>
    protected override Task AcceptedWorkDoneAsync(ApiOperation operation) => Eventually.HoldsAsync(
        async () => await factory.Database.ScalarAsync<long>("SELECT count(*) FROM invoice_runs WHERE status IN ('Queued', 'Running')") == 0,
        TimeSpan.FromSeconds(60), "the runs accepted have ended");

    protected override IReadOnlyDictionary<string, JsonNode?> KnownValues(Guid tenantId, IReadOnlyDictionary<string, Guid> resources) =>
        new Dictionary<string, JsonNode?>
        {
            ["tenantId"] = tenantId.ToString(),
            ["slaPolicyId"] = policy.ToString(),
            ["currency"] = "EUR",
            ["period"] = Period,
            ["unit"] = "Flat",
            ["kind"] = "TimeAndMaterials",
            ["startsOn"] = "2024-06-01",
            ["purchasedOn"] = "2024-06-10",
            ["effectiveFrom"] = "2024-06-10",
            ["endsOn"] = "2024-12-31",
            ["expiresOn"] = null,
            ["blocks"] = null,
            ["paymentTermsDays"] = 30,
            ["taxRatePercent"] = 20,
        };
}
