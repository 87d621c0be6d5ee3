using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Msp.Testing;
using Msp.Testing.Races;
using Xunit.Abstractions;

namespace Msp.Billing.Tests.Features;

/// <summary>The race suite over the Billing service's write endpoints (see <see cref="RaceContract"/>).</summary>
[Collection(nameof(BillingCollection))]
public sealed class RaceTests(ServiceFactory<Program> factory, ITestOutputHelper output) : RaceContract(output)
{
    private const string Period = "2024-03";

    private Func<Task<long>> Count(string sql, params object[] parameters) => () => factory.Database.ScalarAsync<long>(sql, parameters);

    protected override Task<JsonNode> DocumentAsync() => factory.CreateClient().GetFromJsonAsync<JsonNode>("/openapi/v1.json")!;

    protected override Task<HttpClient> StaffAsync() => factory.OperatorAsync();

    /// <summary>A tenant with an account, a block-hours contract from March 2024 and time in it.</summary>
    private async Task<(HttpClient Op, Guid Tenant, Guid Contract)> ContractAsync()
    {
        var op = await factory.OperatorAsync();
        var tenant = await factory.AccountAsync(op);
        var contract = await BillingSeed.BlockHoursAsync(op, tenant, new DateOnly(2024, 3, 1));
        await factory.TimeAsync(tenant, new DateOnly(2024, 3, 4), 90);
        return (op, tenant, contract.Id);
    }

    private async Task<(HttpClient Op, Guid Invoice)> InvoiceAsync(bool issued)
    {
        var (op, tenant, _) = await ContractAsync();
        await BillingSeed.RunAsync(op, Period);
        var invoice = (await BillingSeed.InvoiceAsync(op, tenant, Period)).Id;
        if (issued)
        {
            await BillingSeed.IssueAsync(op, invoice);
        }

        return (op, invoice);
    }

    protected override IEnumerable<Race> Races()
    {
        yield return Race.Converges("PUT /api/billing/accounts/{tenantId}", "a tenant without an account gets one", async () =>
        {
            var (tenant, _) = await factory.TenantAsync();
            return new(await factory.OperatorAsync(), Json(HttpMethod.Put, $"/api/billing/accounts/{tenant}", new { currency = "EUR", taxRatePercent = 20, paymentTermsDays = 30 }),
                Count("SELECT count(*) FROM billing_accounts WHERE tenant_id = $1", tenant));
        });
        yield return Race.Appends("POST /api/billing/contracts", "every contract is a new contract, and the tenant's account is opened once", async () =>
        {
            var (tenant, _) = await factory.TenantAsync();
            return new(await factory.OperatorAsync(), Json(HttpMethod.Post, "/api/billing/contracts",
                new { tenantId = tenant, name = "Race", kind = "TimeAndMaterials", startsOn = "2024-03-01", defaultRate = 90 }),
                Count("SELECT count(*) FROM contracts WHERE tenant_id = $1 AND (SELECT count(*) FROM billing_accounts WHERE tenant_id = $1) = 1", tenant));
        });
        yield return Race.Converges("POST /api/billing/contracts/{id}/quantities", "the same quantity from the same day: one change", async () =>
        {
            var op = await factory.OperatorAsync();
            var tenant = await factory.AccountAsync(op);
            var created = await op.PostAsJsonAsync("/api/billing/contracts", new
            {
                tenantId = tenant, name = "Managed", kind = "ManagedServices", startsOn = "2024-03-01", fee = new { unit = "PerUser", monthlyUnitPrice = 10, quantity = 5 },
            });
            var contract = (await created.Content.ReadFromJsonAsync<Msp.Billing.Features.Contracts.ContractResponse>())!.Id;
            return new(op, Json(HttpMethod.Post, $"/api/billing/contracts/{contract}/quantities", new { effectiveFrom = "2024-03-15", quantity = 7 }),
                Count("SELECT jsonb_array_length(fee->'quantities') - 1 FROM contracts WHERE id = $1", contract));
        });
        yield return Race.Appends("POST /api/billing/contracts/{id}/blocks", "every block bought is a block more", async () =>
        {
            var (op, _, contract) = await ContractAsync();
            return new(op, Json(HttpMethod.Post, $"/api/billing/contracts/{contract}/blocks", new { purchasedOn = "2024-03-10", hours = 5, price = 450 }),
                Count("SELECT jsonb_array_length(blocks) FROM contracts WHERE id = $1", contract));
        });
        yield return Race.Once("POST /api/billing/contracts/{id}/end", "a contract ends once, announced once", async () =>
        {
            var (op, _, contract) = await ContractAsync();
            return new(op, Json(HttpMethod.Post, $"/api/billing/contracts/{contract}/end", new { endsOn = "2024-12-31" }),
                Count("SELECT count(*) FROM outbox WHERE message_type LIKE '%ContractEnded' AND payload->>'contractId' = $1", contract.ToString()));
        });
        yield return Race.Once("POST /api/billing/invoice-runs", "one run of a month at a time: one queued, the others told 409", async () =>
        {
            var (op, _, _) = await ContractAsync();
            return new(op, Json(HttpMethod.Post, "/api/billing/invoice-runs", new { period = Period }),
                Count("SELECT count(*) FROM invoice_runs WHERE period = $1", Period));
        });
        yield return Race.Once("POST /api/billing/invoices/{id}/issue", "issued once, under one number", async () =>
        {
            var (op, invoice) = await InvoiceAsync(issued: false);
            return new(op, Json(HttpMethod.Post, $"/api/billing/invoices/{invoice}/issue"),
                Count("SELECT count(*) FROM outbox WHERE message_type LIKE '%InvoiceIssued' AND payload->>'invoiceId' = $1", invoice.ToString()));
        });
        yield return Race.Once("POST /api/billing/invoices/{id}/void", "voided once, with one credit note", async () =>
        {
            var (op, invoice) = await InvoiceAsync(issued: true);
            return new(op, Json(HttpMethod.Post, $"/api/billing/invoices/{invoice}/void"), Count("SELECT count(*) FROM invoices WHERE voids = $1", invoice));
        });
        yield return Race.Once("POST /api/billing/invoices/{id}/paid", "marked paid once", async () =>
        {
            var (op, invoice) = await InvoiceAsync(issued: true);
            return new(op, Json(HttpMethod.Post, $"/api/billing/invoices/{invoice}/paid"),
                Count("SELECT count(*) FROM invoices WHERE id = $1 AND status = 'Paid'", invoice));
        });
    }
}
