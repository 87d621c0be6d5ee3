using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Msp.Contracts.Tenants;
using Msp.Messaging;
using Msp.Testing;

namespace Msp.Shared.Tests.Messaging;

public sealed class OutboxRelayTests
{
    private static TenantCreated AnEvent(string slug) => new()
    {
        EventId = Guid.CreateVersion7(), TenantId = Guid.CreateVersion7(), OccurredAt = DateTimeOffset.UtcNow,
        Name = "Acme", Slug = slug, TimeZone = "UTC", Country = "FR", Status = "Active",
    };

    private sealed class Received : IConsumer<TenantCreated>
    {
        public static readonly System.Collections.Concurrent.ConcurrentBag<(Guid MessageId, TenantCreated Message)> All = [];

        public Task Consume(ConsumeContext<TenantCreated> context)
        {
            All.Add((context.MessageId!.Value, context.Message));
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Relay_PublishesWhatWasCommittedInOrderWithTheEventIdAsMessageId_AndSkipsWhatWasRolledBack()
    {
        var database = await MessagingDb.CreateAsync();
        var rabbit = await TestServers.CreateVirtualHostAsync("relay");
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton(new OutboxSignal())
            .AddScoped(_ => MessagingDb.Open(database))
            .AddMassTransit(x =>
            {
                x.AddConsumer<Received>();
                x.UsingRabbitMq((ctx, cfg) => { cfg.Host(new Uri(rabbit)); cfg.ConfigureEndpoints(ctx); });
            })
            .BuildServiceProvider();
        var bus = services.GetRequiredService<IBusControl>();
        await bus.StartAsync();
        try
        {
            var committed = AnEvent("kept");
            var rolledBack = AnEvent("dropped");
            await using (var db = MessagingDb.Open(database))
            {
                db.PublishOnSave(committed);
                await db.SaveChangesAsync();
            }

            await using (var db = MessagingDb.Open(database))
            await using (var tx = await db.Database.BeginTransactionAsync())
            {
                db.PublishOnSave(rolledBack);
                await db.SaveChangesAsync();
                await tx.RollbackAsync();
            }

            var relay = new OutboxRelay<MessagingDb>(
                services.GetRequiredService<IServiceScopeFactory>(), bus, new OutboxSignal(), TimeProvider.System, NullLogger<OutboxRelay<MessagingDb>>.Instance);
            var (published, _) = await relay.RelayBatchAsync(CancellationToken.None);
            var (again, _) = await relay.RelayBatchAsync(CancellationToken.None);

            published.ShouldBe(1);
            again.ShouldBe(0);
            await Eventually.HoldsAsync(() => Task.FromResult(Received.All.Any(r => r.MessageId == committed.EventId)), TimeSpan.FromSeconds(10), "the event arrives");
            Received.All.Single(r => r.MessageId == committed.EventId).Message.ShouldBe(committed);
            Received.All.ShouldNotContain(r => r.Message.Slug == "dropped");
            (await database.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE published_at IS NULL")).ShouldBe(0);
        }
        finally
        {
            await bus.StopAsync();
        }
    }
}
