using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Msp.Data;
using Msp.Tickets.Domain;
using Msp.Tickets.Features.CreateTicket;

namespace Msp.Tickets.Tests.Features.CreateTicket;

/// <summary>Batches handed to the opener directly, so that what shares a transaction is decided by the test, not by timing.</summary>
[Collection(nameof(TicketsApiCollection))]
public sealed class TicketOpenerTests(TicketsFactory factory)
{
    private TicketOpener Opener => factory.Services.GetRequiredService<TicketOpener>();

    [Fact]
    public async Task ABatch_NumbersEachTenantsTicketsInTurn_AndWritesEachTicketsEventOnce()
    {
        var (a, slugA) = await factory.TenantAsync();
        var (b, _) = await factory.TenantAsync();
        var batch = new[] { Opening(a, slugA), Opening(b), Opening(a, slugA), Opening(a, slugA), Opening(b) };

        await Opener.WriteAsync(batch);
        var tickets = await Task.WhenAll(batch.Select(o => o.Opened));

        tickets.Select(t => t.Number).ShouldBe([1, 1, 2, 3, 2]);
        tickets[2].Reference.ShouldBe($"{slugA.ToUpperInvariant()}-2");
        (await factory.Database.ScalarAsync<long>("SELECT last_number FROM ticket_counters WHERE tenant_id = $1", a)).ShouldBe(3);
        (await factory.Database.ScalarAsync<long>("SELECT last_number FROM ticket_counters WHERE tenant_id = $1", b)).ShouldBe(2);
        foreach (var ticket in tickets)
        {
            (await factory.EventsAsync("TicketCreated", ticket.Id)).ShouldBe(1);
            (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM ticket_history WHERE ticket_id = $1", ticket.Id)).ShouldBeGreaterThan(0);
        }
    }

    [Fact]
    public async Task WhenOneCreateOfABatchFails_OnlyThatCreateFails_AndTheNumbersStayGapless()
    {
        var (a, _) = await factory.TenantAsync();
        var (b, _) = await factory.TenantAsync();
        var caller = Guid.CreateVersion7();
        var key = Guid.NewGuid().ToString();
        var batch = new[] { Opening(a, key: key, caller: caller), Opening(b), Opening(a, key: key, caller: caller), Opening(a) };

        await Opener.WriteAsync(batch);

        var refused = await Should.ThrowAsync<Npgsql.PostgresException>(batch[2].Opened);
        refused.IsUniqueViolation("idempotency_keys_pkey").ShouldBeTrue();
        var written = await Task.WhenAll(new[] { batch[0], batch[1], batch[3] }.Select(o => o.Opened));
        written.Select(t => t.Number).ShouldBe([1, 1, 2]);
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE tenant_id = $1", a)).ShouldBe(2);
        (await factory.Database.ScalarAsync<long>("SELECT last_number FROM ticket_counters WHERE tenant_id = $1", a)).ShouldBe(2);
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE message_type LIKE '%.TicketCreated' AND payload->>'tenantId' = $1", a.ToString())).ShouldBe(2);
    }

    private static TicketOpening Opening(Guid tenantId, string slug = "t", string key = "", Guid? caller = null) =>
        new(tenantId, slug, Draft(), new Actor(caller ?? Guid.CreateVersion7(), "ClientUser", tenantId), key, key.Length == 0 ? "" : "same-request", null);

    private static TicketDraft Draft() =>
        new("Printer on floor 2 is jammed", "It shows error E-42.", Guid.CreateVersion7(), TicketSource.Portal, null, Level.Medium, Level.High);
}
