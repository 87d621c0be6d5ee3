using Msp.Contracts;
using Msp.Contracts.Slas;
using Msp.Contracts.Tickets;
using Msp.Testing;

namespace Msp.Billing.Tests.Features.Usage;

[Collection(nameof(BillingCollection))]
public sealed class UsageConsumerTests(ServiceFactory<Program> factory)
{
    private async Task DeliverAsync(IIntegrationEvent message)
    {
        await factory.Bus.Publish(message, message.GetType());
        await Eventually.HoldsAsync(() => Task.FromResult(factory.Consumed.Of(message.EventId) >= 1), TimeSpan.FromSeconds(15), "the event is consumed");
    }

    private static TimeEntryChanged Changed(Guid tenant, Guid entry, long version, int minutes, bool deleted = false) => new()
    {
        EventId = EventIds.New(), TenantId = tenant, OccurredAt = DateTimeOffset.UtcNow, TimeEntryId = entry, TicketId = Guid.Empty,
        TicketReference = "T-1", TechnicianId = Guid.Empty, Minutes = minutes, WorkType = "Remote", Billable = true,
        WorkDate = new DateOnly(2026, 11, 20), Version = version, Deleted = deleted,
    };

    [Fact]
    public async Task TheLatestVersionOfAnEntry_Wins_WhateverOrderTheEventsArriveIn()
    {
        var tenant = Guid.CreateVersion7();
        var entry = Guid.CreateVersion7();
        var logged = new TimeEntryLogged
        {
            EventId = EventIds.New(), TenantId = tenant, OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-10), TimeEntryId = entry,
            TicketId = Guid.CreateVersion7(), TicketReference = "ACME-7", TechnicianId = Guid.CreateVersion7(), Minutes = 30,
            WorkType = "Remote", Billable = true, WorkDate = new DateOnly(2026, 11, 20), Version = 1,
        };

        await DeliverAsync(Changed(tenant, entry, 3, 45));
        await DeliverAsync(logged);
        await DeliverAsync(Changed(tenant, entry, 2, 60));
        await factory.Bus.Publish(logged); // redelivered
        await Eventually.HoldsAsync(() => Task.FromResult(factory.Consumed.Of(logged.EventId) >= 2), TimeSpan.FromSeconds(15), "the duplicate is consumed");

        (await factory.Database.ScalarAsync<string>(
            "SELECT minutes || '/' || version || '/' || (logged_at = $2) FROM usage_entries WHERE time_entry_id = $1", entry, logged.OccurredAt))
            .ShouldBe("45/3/true", "version 3 stands; the entry was logged when version 1 says");
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM usage_entries WHERE tenant_id = $1", tenant)).ShouldBe(1);
    }

    [Fact]
    public async Task ABreach_IsRecordedOncePerClock()
    {
        var tenant = Guid.CreateVersion7();
        var ticket = Guid.CreateVersion7();
        SlaBreached Breach() => new()
        {
            EventId = EventIds.New(), TenantId = tenant, OccurredAt = DateTimeOffset.UtcNow, TicketId = ticket, Clock = "FirstResponse",
            Priority = "P2", PolicyId = Guid.CreateVersion7(), TargetMinutes = 60, DueAt = DateTimeOffset.UtcNow.AddMinutes(-1),
        };

        await DeliverAsync(Breach());
        await DeliverAsync(Breach());
        await DeliverAsync(Breach() with { Clock = "Resolution" });

        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM sla_breaches WHERE tenant_id = $1", tenant)).ShouldBe(2);
    }
}
