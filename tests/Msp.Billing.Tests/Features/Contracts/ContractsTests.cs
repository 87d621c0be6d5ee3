using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Billing.Domain;
using Msp.Billing.Features.Contracts;
using Msp.Testing;

namespace Msp.Billing.Tests.Features.Contracts;

[Collection(nameof(BillingCollection))]
public sealed class ContractsTests(ServiceFactory<Program> factory)
{
    private Task<long> OutboxAsync(string type, Guid contract) => factory.Database.ScalarAsync<long>(
        "SELECT count(*) FROM outbox WHERE message_type LIKE '%' || $1 AND payload->>'contractId' = $2", type, contract.ToString());

    [Fact]
    public async Task AContract_IsAnnouncedWhenActivatedAndWhenEnded_WithItsSlaPolicy()
    {
        var op = await factory.OperatorAsync();
        var tenant = await factory.AccountAsync(op);
        var policy = await factory.SlaPolicyAsync();
        var created = await op.PostAsJsonAsync("/api/billing/contracts", new
        {
            tenantId = tenant, name = "Managed desktops", kind = "ManagedServices", startsOn = new DateOnly(2026, 1, 1), slaPolicyId = policy,
            fee = new { unit = "PerDevice", monthlyUnitPrice = 25m, quantity = 40m },
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var contract = (await created.Content.ReadFromJsonAsync<ContractResponse>())!;

        (await OutboxAsync("ContractActivated", contract.Id)).ShouldBe(1);
        (await factory.Database.ScalarAsync<string>("SELECT payload->>'slaPolicyId' FROM outbox WHERE payload->>'contractId' = $1", contract.Id.ToString()))
            .ShouldBe(policy.ToString());

        var quantity = await op.PostAsJsonAsync($"/api/billing/contracts/{contract.Id}/quantities", new { effectiveFrom = new DateOnly(2026, 3, 16), quantity = 44m });
        quantity.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await quantity.Content.ReadFromJsonAsync<ContractResponse>())!.Fee!.Quantities.Select(q => q.Quantity).ShouldBe([40m, 44m]);

        var ended = await op.PostAsJsonAsync($"/api/billing/contracts/{contract.Id}/end", new { endsOn = new DateOnly(2026, 6, 30) });
        ended.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ended.Content.ReadFromJsonAsync<ContractResponse>())!.Status.ShouldBe(ContractStatus.Ended);
        (await OutboxAsync("ContractEnded", contract.Id)).ShouldBe(1);
        (await op.PostAsJsonAsync($"/api/billing/contracts/{contract.Id}/end", new { endsOn = new DateOnly(2026, 7, 31) })).StatusCode
            .ShouldBe(HttpStatusCode.Conflict, "an ended contract does not end twice");
        (await OutboxAsync("ContractEnded", contract.Id)).ShouldBe(1);
    }

    [Theory]
    [InlineData("overageRate", "{\"name\":\"B\",\"kind\":\"BlockHours\",\"startsOn\":\"2026-01-01\"}")]
    [InlineData("fee", "{\"name\":\"M\",\"kind\":\"ManagedServices\",\"startsOn\":\"2026-01-01\"}")]
    [InlineData("fee.unit", "{\"name\":\"M\",\"kind\":\"ManagedServices\",\"startsOn\":\"2026-01-01\",\"fee\":{\"unit\":\"PerCow\",\"monthlyUnitPrice\":1}}")]
    [InlineData("defaultRate", "{\"name\":\"T\",\"kind\":\"TimeAndMaterials\",\"startsOn\":\"2026-01-01\"}")]
    [InlineData("endsOn", "{\"name\":\"T\",\"kind\":\"TimeAndMaterials\",\"startsOn\":\"2026-01-01\",\"endsOn\":\"2025-12-31\",\"defaultRate\":90}")]
    [InlineData("blocks", "{\"name\":\"T\",\"kind\":\"TimeAndMaterials\",\"startsOn\":\"2026-01-01\",\"defaultRate\":90,\"blocks\":[{\"purchasedOn\":\"2026-01-01\",\"hours\":5,\"price\":1}]}")]
    [InlineData("blocks[0].hours", "{\"name\":\"B\",\"kind\":\"BlockHours\",\"startsOn\":\"2026-01-01\",\"overageRate\":1,\"blocks\":[{\"purchasedOn\":\"2026-01-01\",\"hours\":-5,\"price\":1}]}")]
    [InlineData("slaCredit.capPercent", "{\"name\":\"T\",\"kind\":\"TimeAndMaterials\",\"startsOn\":\"2026-01-01\",\"defaultRate\":90,\"slaCredit\":{\"percentPerBreach\":10,\"capPercent\":5}}")]
    [InlineData("kind", "{\"name\":\"T\",\"kind\":\"Barter\",\"startsOn\":\"2026-01-01\"}")]
    public async Task AnInvalidContract_IsAProblemNamingTheField_AndNothingIsWritten(string field, string body)
    {
        var op = await factory.OperatorAsync();
        var tenant = await factory.AccountAsync(op);
        var json = body.Replace("{\"name\"", $"{{\"tenantId\":\"{tenant}\",\"name\"");

        var response = await op.PostAsync("/api/billing/contracts", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ShouldContain(field, problem.ToString());
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM contracts WHERE tenant_id = $1", tenant)).ShouldBe(0);
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE tenant_id = $1", tenant)).ShouldBe(0);
    }

    [Fact]
    public async Task AContractForAnUnknownTenant_IsNotFound_AndABlockOutsideTheContractIsRefused()
    {
        var op = await factory.OperatorAsync();
        (await op.PostAsJsonAsync("/api/billing/contracts", new { tenantId = Guid.CreateVersion7(), name = "T", kind = "TimeAndMaterials", startsOn = "2026-01-01", defaultRate = 1 }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var tenant = await factory.AccountAsync(op);
        var contract = await BillingSeed.BlockHoursAsync(op, tenant, new DateOnly(2026, 1, 1));
        var early = await op.PostAsJsonAsync($"/api/billing/contracts/{contract.Id}/blocks", new { purchasedOn = "2025-12-01", hours = 5, price = 400 });
        early.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await early.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("purchasedOn", out _).ShouldBeTrue();
        var bought = await op.PostAsJsonAsync($"/api/billing/contracts/{contract.Id}/blocks", new { purchasedOn = "2026-02-01", hours = 5, price = 400 });
        (await bought.Content.ReadFromJsonAsync<ContractResponse>())!.Blocks.Count.ShouldBe(2);
    }

    [Fact]
    public async Task AContractForATenantWithoutAnAccount_OpensOne_SoThatRunsBillIt()
    {
        var op = await factory.OperatorAsync();
        var (tenant, _) = await factory.TenantAsync(); // known, but its creation predates billing accounts

        await BillingSeed.TimeAndMaterialsAsync(op, tenant, new DateOnly(2024, 2, 1));
        await factory.TimeAsync(tenant, new DateOnly(2024, 2, 5), 60);
        await BillingSeed.RunAsync(op, "2024-02");

        (await factory.Database.ScalarAsync<string>("SELECT currency FROM billing_accounts WHERE tenant_id = $1", tenant)).ShouldBe("EUR");
        (await BillingSeed.InvoiceAsync(op, tenant, "2024-02")).Subtotal.ShouldBe(90.00m);
    }
}
