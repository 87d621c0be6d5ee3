using Microsoft.EntityFrameworkCore;
using Msp.Contracts.Tenants;
using Msp.Messaging;

namespace Msp.Shared.Tests.Messaging;

public sealed class InboxTests
{
    private static TenantCreated AnEvent() => new()
    {
        EventId = Guid.CreateVersion7(), TenantId = Guid.CreateVersion7(), OccurredAt = DateTimeOffset.UtcNow,
        Name = "Acme", Slug = "acme", TimeZone = "UTC", Country = "FR", Status = "Active",
    };

    /// <summary>A handler that is not idempotent on its own: each run adds one.</summary>
    private static Task<bool> Bump(MessagingDb db, TenantCreated e, string consumer) =>
        db.ProcessOnceAsync(e, consumer, ct => db.BumpAsync(consumer, ct), CancellationToken.None);

    [Fact]
    public async Task TheSameEventTwice_RunsTheHandlerOnce()
    {
        var database = await MessagingDb.CreateAsync();
        var e = AnEvent();

        (await Bump(MessagingDb.Open(database), e, "c")).ShouldBeTrue();
        (await Bump(MessagingDb.Open(database), e, "c")).ShouldBeFalse();

        (await database.ScalarAsync<int>("SELECT value FROM counters WHERE id = 'c'")).ShouldBe(1);
    }

    [Fact]
    public async Task TheSameEventConcurrently_RunsTheHandlerOnce()
    {
        var database = await MessagingDb.CreateAsync();
        var e = AnEvent();

        var ran = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Bump(MessagingDb.Open(database), e, "c")));

        ran.Count(r => r).ShouldBe(1);
        (await database.ScalarAsync<int>("SELECT value FROM counters WHERE id = 'c'")).ShouldBe(1);
    }

    [Fact]
    public async Task DifferentEvents_EachRun()
    {
        var database = await MessagingDb.CreateAsync();

        await Bump(MessagingDb.Open(database), AnEvent(), "c");
        await Bump(MessagingDb.Open(database), AnEvent(), "c");

        (await database.ScalarAsync<int>("SELECT value FROM counters WHERE id = 'c'")).ShouldBe(2);
    }

    [Fact]
    public async Task TheSameEventForTwoConsumers_RunsForEach()
    {
        var database = await MessagingDb.CreateAsync();
        var e = AnEvent();

        (await Bump(MessagingDb.Open(database), e, "first")).ShouldBeTrue();
        (await Bump(MessagingDb.Open(database), e, "second")).ShouldBeTrue();

        (await database.ScalarAsync<long>("SELECT count(*) FROM inbox WHERE event_id = $1", e.EventId)).ShouldBe(2);
    }

    [Fact]
    public async Task AFailingHandler_LeavesNoInboxRowSoTheRetryRuns()
    {
        var database = await MessagingDb.CreateAsync();
        var e = AnEvent();

        await Should.ThrowAsync<InvalidOperationException>(() => MessagingDb.Open(database).ProcessOnceAsync(
            e, "c", _ => throw new InvalidOperationException("boom"), CancellationToken.None));
        (await Bump(MessagingDb.Open(database), e, "c")).ShouldBeTrue();

        (await database.ScalarAsync<int>("SELECT value FROM counters WHERE id = 'c'")).ShouldBe(1);
    }

    [Fact]
    public async Task TheApplicationRole_CannotChangeTheSchema()
    {
        var database = await MessagingDb.CreateAsync();
        await using var db = MessagingDb.Open(database);

        await Should.ThrowAsync<Npgsql.PostgresException>(() => db.Database.ExecuteSqlRawAsync("DROP TABLE counters"));
    }
}
