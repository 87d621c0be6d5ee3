using System.Net;
using System.Net.Http.Json;
using System.Text;
using Msp.Testing;

namespace Msp.Billing.Tests.Features;

/// <summary>The cases of issue 24 found in the Billing service, each answered 4xx with a problem document naming the
/// field, and nothing written.</summary>
[Collection(nameof(BillingCollection))]
public sealed class HostileInputTests(ServiceFactory<Program> factory)
{
    private Task<long> RowsAsync(Guid tenant) => factory.Database.ScalarAsync<long>(
        "SELECT (SELECT count(*) FROM contracts WHERE tenant_id = $1) + (SELECT count(*) FROM outbox WHERE tenant_id = $1)", tenant);

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    [Fact]
    public async Task AContractWithANullBlock_Answers400NamingTheBlock_NotA500()
    {
        var op = await factory.OperatorAsync();
        var tenant = await factory.AccountAsync(op);
        var before = await RowsAsync(tenant);

        await (await op.PostAsync("/api/billing/contracts", Json($$"""
            {"tenantId":"{{tenant}}","name":"Prepaid","kind":"BlockHours","startsOn":"2026-01-01","overageRate":100,"blocks":[null]}
            """))).ShouldNameFieldAsync(HttpStatusCode.BadRequest, "blocks[0]");

        (await RowsAsync(tenant)).ShouldBe(before);
    }

    [Fact]
    public async Task ANulInAContractsNameOrARatesWorkType_Answers400NamingTheField_AndWritesNothing()
    {
        var op = await factory.OperatorAsync();
        var tenant = await factory.AccountAsync(op);
        var before = await RowsAsync(tenant);

        await (await op.PostAsync("/api/billing/contracts", Json($$"""
            {"tenantId":"{{tenant}}","name":"Time\u0000and materials","kind":"TimeAndMaterials","startsOn":"2026-01-01","defaultRate":90}
            """))).ShouldNameFieldAsync(HttpStatusCode.BadRequest, "name");
        (await op.PostAsync("/api/billing/contracts", Json($$$"""
            {"tenantId":"{{{tenant}}}","name":"T&M","kind":"TimeAndMaterials","startsOn":"2026-01-01","defaultRate":90,"rates":{"Re\u0000mote":90}}
            """))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        await (await op.PutAsJsonAsync($"/api/billing/accounts/{tenant}", new { currency = "EUR", taxRatePercent = 20, paymentTermsDays = 30, billingContact = "a\u0000@b.example" }))
            .ShouldNameFieldAsync(HttpStatusCode.BadRequest, "billingContact");

        (await RowsAsync(tenant)).ShouldBe(before);
    }
}
