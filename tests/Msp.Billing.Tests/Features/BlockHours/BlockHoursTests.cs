using System.Net.Http.Json;
using Msp.Billing.Features.BlockHours;
using Msp.Contracts;
using Msp.Contracts.Tickets;
using Msp.Testing;

namespace Msp.Billing.Tests.Features.BlockHours;

[Collection(nameof(BillingCollection))]
public sealed class BlockHoursTests(ServiceFactory<Program> factory)
{
    private async Task LogAsync(Guid tenant, int minutes, DateOnly day)
    {
        var logged = new TimeEntryLogged
        {
            EventId = EventIds.New(), TenantId = tenant, OccurredAt = DateTimeOffset.UtcNow, TimeEntryId = Guid.CreateVersion7(), TicketId = Guid.CreateVersion7(),
            TicketReference = "ACME-9", TechnicianId = Guid.CreateVersion7(), Minutes = minutes, WorkType = "Remote", Billable = true, WorkDate = day, Version = 1,
        };
        await factory.Bus.Publish(logged);
        await Eventually.HoldsAsync(() => Task.FromResult(factory.Consumed.Of(logged.EventId) >= 1), TimeSpan.FromSeconds(15), "the entry is consumed");
    }

    private Task<long> AlertsAsync(Guid tenant, int threshold) => factory.Database.ScalarAsync<long>(
        "SELECT count(*) FROM outbox WHERE message_type LIKE '%BlockHoursLow' AND tenant_id = $1 AND (payload->>'thresholdPercent')::int = $2", tenant, threshold);

    [Fact]
    public async Task UsingThePrepaidHours_WarnsOnceAt80AndOnceAt95Percent_AndTheBalanceShowsWhatIsLeft()
    {
        var op = await factory.OperatorAsync();
        var tenant = await factory.AccountAsync(op);
        var contract = await BillingSeed.BlockHoursAsync(op, tenant, new DateOnly(2026, 11, 1), hours: 10);

        await LogAsync(tenant, 420, new DateOnly(2026, 11, 2)); // 70 %
        (await AlertsAsync(tenant, 80)).ShouldBe(0);
        await LogAsync(tenant, 60, new DateOnly(2026, 11, 3)); // 80 %
        await LogAsync(tenant, 30, new DateOnly(2026, 11, 4)); // 85 %
        (await AlertsAsync(tenant, 80)).ShouldBe(1);
        (await AlertsAsync(tenant, 95)).ShouldBe(0);
        await LogAsync(tenant, 90, new DateOnly(2026, 11, 5)); // 100 %, 0 left
        await LogAsync(tenant, 30, new DateOnly(2026, 11, 6)); // overage
        (await AlertsAsync(tenant, 80)).ShouldBe(1);
        (await AlertsAsync(tenant, 95)).ShouldBe(1);

        var balance = await op.GetFromJsonAsync<BlockHoursResponse>($"/api/billing/tenants/{tenant}/block-hours");
        var hours = balance!.Contracts.Single();
        hours.ContractId.ShouldBe(contract.Id);
        (hours.HoursBought, hours.HoursUsed, hours.HoursLeft, hours.HoursInvoiced, hours.PercentUsed).ShouldBe((10m, 10m, 0m, 0m, 100m));

        await op.PostAsJsonAsync($"/api/billing/contracts/{contract.Id}/blocks", new { purchasedOn = "2026-11-10", hours = 10, price = 900 });
        await LogAsync(tenant, 300, new DateOnly(2026, 11, 11)); // 15 of the 20 hours bought (the earlier overage predates the new block)
        (await AlertsAsync(tenant, 80)).ShouldBe(1, "75 % of the 20 hours bought");
        await LogAsync(tenant, 270, new DateOnly(2026, 11, 12)); // 19.5 of 20
        (await AlertsAsync(tenant, 80)).ShouldBe(2, "the new hours armed the warning again");
        (await AlertsAsync(tenant, 95)).ShouldBe(2);
    }
}
