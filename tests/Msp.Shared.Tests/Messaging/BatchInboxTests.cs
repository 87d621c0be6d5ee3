using Msp.Contracts.Tenants;
using Msp.Messaging;
using Msp.Data;
using Msp.KnownParties;
using Msp.ServiceDefaults.Identity;

namespace Msp.Shared.Tests.Messaging;

public sealed class BatchInboxTests
{
    private static TenantCreated AnEvent(string name) => new()
    {
        EventId = Guid.CreateVersion7(), TenantId = Guid.CreateVersion7(), OccurredAt = DateTimeOffset.UtcNow,
        Name = name, Slug = name, TimeZone = "UTC", Country = "FR", Status = "Active",
    };

    /// <summary>A handler that is not idempotent on its own: each event it is handed adds one under its name, and one
    /// named "poison" cannot be applied.</summary>
    private static Task Bump(MessagingDb db, IReadOnlyList<TenantCreated> batch, List<string> seen) =>
        db.ProcessOnceAsync(new TenantScope(), batch, "c", async (fresh, ct) =>
        {
            foreach (var e in fresh)
            {
                seen.Add(e.Name);
                if (e.Name == "poison")
                {
                    throw new InvalidOperationException("This event cannot be applied.");
                }

                await db.BumpAsync(e.Name, ct);
            }
        }, CancellationToken.None);

    [Fact]
    public async Task ABatch_AppliesOnlyWhatThisConsumerHasNotProcessed_EachOnce()
    {
        var database = await MessagingDb.CreateAsync();
        var (a, b, c) = (AnEvent("a"), AnEvent("b"), AnEvent("c"));
        await Bump(MessagingDb.Open(database), [a], []);

        var seen = new List<string>();
        await Bump(MessagingDb.Open(database), [a, b, c, b], seen); // a processed before; b delivered twice

        seen.ShouldBe(["b", "c"]);
        (await database.ScalarAsync<long>("SELECT sum(value) FROM counters")).ShouldBe(3);
        (await database.ScalarAsync<long>("SELECT count(*) FROM inbox WHERE consumer = 'c'")).ShouldBe(3);
    }

    [Fact]
    public async Task AnEventThatCannotBeApplied_HoldsBackNoOtherOfItsBatch_AndStaysUnrecorded()
    {
        var database = await MessagingDb.CreateAsync();
        var poison = AnEvent("poison");

        await Should.ThrowAsync<InvalidOperationException>(() => Bump(MessagingDb.Open(database), [AnEvent("a"), poison, AnEvent("b")], []));

        (await database.ScalarAsync<long>("SELECT count(*) FROM counters WHERE id IN ('a', 'b') AND value = 1")).ShouldBe(2);
        (await database.ScalarAsync<long>("SELECT count(*) FROM inbox WHERE consumer = 'c'")).ShouldBe(2);
        (await database.ScalarAsync<long>("SELECT count(*) FROM inbox WHERE event_id = $1", poison.EventId)).ShouldBe(0, "its retry must find it new");

        var seen = new List<string>();
        await Should.ThrowAsync<InvalidOperationException>(() => Bump(MessagingDb.Open(database), [AnEvent("a"), poison, AnEvent("b")], seen));
        seen.ShouldContain("poison");
    }
}
