using Msp.Contracts;
using Msp.Contracts.Slas;
using Msp.Contracts.Tickets;
using Msp.Testing;

namespace Msp.Mail.Tests.Outbound;

/// <summary>What the mail service records of a ticket when its events arrive together or out of order.</summary>
[Collection(nameof(MailApiCollection))]
public sealed class TicketMailConsumerTests(MailFactory mail)
{
    /// <summary>Two tickets of one tenant known only from their SLA clocks (their creation not arrived yet) have no
    /// reference yet: both are recorded, neither fails on the other.</summary>
    [Fact]
    public async Task TwoTicketsKnownOnlyFromTheirClocks_AreBothRecorded()
    {
        var (tenant, _) = await mail.TenantAsync();
        var tickets = new[] { Guid.CreateVersion7(), Guid.CreateVersion7() };
        foreach (var ticket in tickets)
        {
            await mail.DeliverAsync(Clock(tenant, ticket, DateTimeOffset.UtcNow.AddHours(1)));
        }

        (await mail.Database.ScalarAsync<long>("SELECT count(*) FROM mail_tickets WHERE tenant_id = $1 AND reference = ''", tenant)).ShouldBe(2);
    }

    /// <summary>A ticket's creation and its first SLA clock delivered at the same moment, many times over: each ticket
    /// gets one row holding what both events said.</summary>
    [Fact]
    public async Task ACreationAndItsClockArrivingTogether_MakeOneRowWithBoth()
    {
        var (tenant, slug) = await mail.TenantAsync();
        var due = DateTimeOffset.UtcNow.AddHours(2);
        var events = Enumerable.Range(1, 10).SelectMany(n =>
        {
            var ticket = Guid.CreateVersion7();
            return new IIntegrationEvent[] { Created(tenant, ticket, $"{slug.ToUpperInvariant()}-{n}"), Clock(tenant, ticket, due) };
        }).ToList();
        await Task.WhenAll(events.Select(e => mail.Bus.Publish(e, e.GetType())));
        await Eventually.HoldsAsync(() => Task.FromResult(events.All(e => mail.Consumed.Of(e.EventId) >= 1)), TimeSpan.FromSeconds(60), "every event is consumed");

        (await mail.Database.ScalarAsync<long>("SELECT count(*) FROM mail_tickets WHERE tenant_id = $1", tenant)).ShouldBe(10);
        (await mail.Database.ScalarAsync<long>(
            "SELECT count(*) FROM mail_tickets WHERE tenant_id = $1 AND reference <> '' AND first_response_due_at IS NOT NULL", tenant)).ShouldBe(10);
    }

    private static SlaClockChanged Clock(Guid tenant, Guid ticket, DateTimeOffset firstResponseDue) => new()
    {
        EventId = EventIds.New(), TenantId = tenant, OccurredAt = DateTimeOffset.UtcNow, TicketId = ticket, Revision = 1,
        FirstResponseDueAt = firstResponseDue, DueAt = firstResponseDue,
    };

    private static TicketCreated Created(Guid tenant, Guid ticket, string reference) => new()
    {
        EventId = EventIds.New(), TenantId = tenant, OccurredAt = DateTimeOffset.UtcNow, TicketId = ticket, Sequence = 1, Number = 1,
        Reference = reference, Priority = "P3", Status = "New", Source = "Portal", RequesterId = Guid.CreateVersion7(), Subject = "Printer " + reference,
    };
}
