using System.Diagnostics;
using Msp.Contracts;
using Msp.Contracts.Slas;
using Msp.Contracts.Tenants;
using Msp.Contracts.Tickets;
using Msp.Testing;
using Xunit.Abstractions;

namespace Msp.Billing.Tests.Messaging;

/// <summary>Stops and restarts the broker, so it runs alone, with a Billing host of its own.</summary>
[CollectionDefinition(nameof(BrokerPauseCollection), DisableParallelization = true)]
public sealed class BrokerPauseCollection : ICollectionFixture<ServiceFactory<Program>>;

/// <summary>After a short broker outage every Billing consumer is back within seconds, as in the other services (it took
/// Billing about 30 s: decision 0072).</summary>
[Collection(nameof(BrokerPauseCollection))]
public sealed class BrokerPauseTests(ServiceFactory<Program> factory, ITestOutputHelper output)
{
    /// <summary>One event for each of Billing's queues, and how many of its consumers take it.</summary>
    private static (IIntegrationEvent Event, int Consumers)[] OneForEachQueue(Guid tenant) =>
    [
        (new TenantCreated
        {
            EventId = EventIds.New(), TenantId = tenant, OccurredAt = DateTimeOffset.UtcNow, Name = "Paused", Slug = "p" + tenant.ToString("N")[..8],
            TimeZone = "Europe/Paris", Country = "FR", Status = "Active",
        }, 2),
        (new TenantUpdated
        {
            EventId = EventIds.New(), TenantId = tenant, OccurredAt = DateTimeOffset.UtcNow, Version = 2, Name = "Paused", Slug = "p" + tenant.ToString("N")[..8],
            TimeZone = "Europe/Paris", Country = "FR", Status = "Active",
        }, 1),
        (new UserInvited
        {
            EventId = EventIds.New(), TenantId = tenant, OccurredAt = DateTimeOffset.UtcNow, UserId = Guid.CreateVersion7(), Email = "p@tests.local",
            DisplayName = "Paused", Role = "ClientUser",
        }, 1),
        (new TimeEntryLogged
        {
            EventId = EventIds.New(), TenantId = tenant, OccurredAt = DateTimeOffset.UtcNow, TimeEntryId = Guid.CreateVersion7(), TicketId = Guid.CreateVersion7(),
            TicketReference = "P-1", TechnicianId = Guid.CreateVersion7(), Minutes = 30, WorkType = "Remote", Billable = true,
            WorkDate = new DateOnly(2026, 11, 20), Version = 1,
        }, 1),
        (new SlaPolicyCreated { EventId = EventIds.New(), TenantId = Provider.TenantId, OccurredAt = DateTimeOffset.UtcNow, PolicyId = Guid.CreateVersion7(), Name = "Paused" }, 1),
    ];

    private async Task<TimeSpan> DeliverAsync((IIntegrationEvent Event, int Consumers)[] events, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        foreach (var (e, _) in events)
        {
            // The host's own bus publishes; while it reconnects a publish may fail, and is tried again.
            await Eventually.HoldsAsync(async () =>
            {
                try
                {
                    await factory.Bus.Publish(e, e.GetType());
                    return true;
                }
                catch (Exception)
                {
                    return false;
                }
            }, within, $"{e.GetType().Name} is published");
        }

        await Eventually.HoldsAsync(() => Task.FromResult(events.All(x => factory.Consumed.Of(x.Event.EventId) >= x.Consumers)), within,
            "every Billing queue's consumer takes its event");
        return clock.Elapsed;
    }

    [Fact]
    public async Task AfterAShortBrokerPause_EveryConsumerTakesAnEventPublishedAfterTheResume_WithinSeconds()
    {
        await DeliverAsync(OneForEachQueue(Guid.CreateVersion7()), TimeSpan.FromSeconds(30)); // every queue has worked once

        await TestServers.PauseRabbitMqAsync();
        // An outage of 30 s: long enough for MassTransit's own reconnects to fail a few times and back off to 10-30 s, so
        // that without ReceiveEndpointRecovery the consumers came back 15-30 s after the broker did.
        await Task.Delay(TimeSpan.FromSeconds(30));
        await TestServers.ResumeRabbitMqAsync();
        var resumed = Stopwatch.StartNew();
        var took = await DeliverAsync(OneForEachQueue(Guid.CreateVersion7()), TimeSpan.FromSeconds(60));

        output.WriteLine($"After the resume every Billing queue took its event in {resumed.Elapsed.TotalSeconds:0.0} s ({took.TotalSeconds:0.0} s after the first publish)");
        resumed.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(6));
    }
}
