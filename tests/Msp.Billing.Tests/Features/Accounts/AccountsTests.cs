using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Contracts;
using Msp.Contracts.Tenants;
using Msp.Testing;

namespace Msp.Billing.Tests.Features.Accounts;

[Collection(nameof(BillingCollection))]
public sealed class AccountsTests(ServiceFactory<Program> factory)
{
    [Theory]
    [InlineData("GB", "GBP", 20)]
    [InlineData("DE", "EUR", 19)]
    [InlineData("BR", "EUR", 0)] // a country the platform has no currency or tax rate for: the configured defaults
    public async Task ACreatedTenant_GetsABillingAccount_InItsCountrysCurrency_AtItsCountrysTaxRate(string country, string currency, decimal taxRate)
    {
        var tenant = Guid.CreateVersion7();
        var created = new TenantCreated
        {
            EventId = EventIds.New(), TenantId = tenant, OccurredAt = DateTimeOffset.UtcNow, Name = "Client", Slug = "c" + tenant.ToString("N")[^8..],
            TimeZone = "Europe/London", Country = country, Status = "Active",
        };

        await factory.Bus.Publish(created);
        await factory.Bus.Publish(created); // redelivered: one account

        var op = await factory.OperatorAsync();
        await Eventually.HoldsAsync(async () => (await op.GetAsync($"/api/billing/accounts/{tenant}")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(15), "the account is opened");
        var account = await op.GetFromJsonAsync<JsonElement>($"/api/billing/accounts/{tenant}");
        account.GetProperty("currency").GetString().ShouldBe(currency);
        account.GetProperty("taxRatePercent").GetDecimal().ShouldBe(taxRate, "the tax-rate table in configuration (Msp:Billing:TaxRates)");
        account.GetProperty("zeroTax").GetBoolean().ShouldBe(taxRate == 0, "an account at 0 % is flagged");
        account.GetProperty("paymentTermsDays").GetInt32().ShouldBe(30);
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM billing_accounts WHERE tenant_id = $1", tenant)).ShouldBe(1);
    }

    [Theory]
    [InlineData("currency", "{\"currency\":\"XXX\",\"taxRatePercent\":20,\"paymentTermsDays\":30}")]
    [InlineData("taxRatePercent", "{\"currency\":\"EUR\",\"taxRatePercent\":120,\"paymentTermsDays\":30}")]
    [InlineData("billingContact", "{\"currency\":\"EUR\",\"taxRatePercent\":20,\"paymentTermsDays\":30,\"billingContact\":\"not an address\"}")]
    [InlineData("paymentTermsDays", "{\"currency\":\"EUR\",\"taxRatePercent\":20}")]
    public async Task AnInvalidAccount_IsAProblemNamingTheField_AndChangesNothing(string field, string body)
    {
        var op = await factory.OperatorAsync();
        var tenant = await factory.AccountAsync(op, taxRatePercent: 7.5m);

        var response = await op.PutAsync($"/api/billing/accounts/{tenant}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(field);
        (await factory.Database.ScalarAsync<decimal>("SELECT tax_rate_percent FROM billing_accounts WHERE tenant_id = $1", tenant)).ShouldBe(7.5m);
    }

    [Fact]
    public async Task AStaleIfMatch_IsRefused_AndAnUnknownTenantIsNotFound()
    {
        var op = await factory.OperatorAsync();
        var tenant = await factory.AccountAsync(op);
        var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/billing/accounts/{tenant}")
        {
            Content = JsonContent.Create(new { currency = "USD", taxRatePercent = 0, paymentTermsDays = 15 }),
        };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"1\"");

        (await op.SendAsync(stale)).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        (await op.PutAsJsonAsync($"/api/billing/accounts/{Guid.CreateVersion7()}", new { currency = "USD", taxRatePercent = 0, paymentTermsDays = 15 }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await op.GetAsync($"/api/billing/accounts/{Guid.CreateVersion7()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
