using System.Net;
using System.Net.Http.Json;

namespace Msp.Tickets.Tests.Features;

[Collection(nameof(TicketsApiCollection))]
public sealed class NumberingTests(TicketsFactory factory)
{
    [Fact]
    public async Task FiftyConcurrentCreates_ForOneTenant_GetFiftyDistinctGaplessNumbers()
    {
        var (tenantId, slug) = await factory.TenantAsync();
        var clients = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ => factory.ClientFor(await factory.ClientUserAsync(tenantId))));

        var created = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => TicketsFactory.OpenAsync(clients[i % clients.Length])));

        var numbers = created.Select(t => t.GetProperty("number").GetInt64()).Order().ToList();
        numbers.ShouldBe(Enumerable.Range(1, 50).Select(n => (long)n).ToList());
        created.Select(t => t.GetProperty("reference").GetString()).ShouldAllBe(r => r!.StartsWith(slug.ToUpperInvariant() + "-"));
        (await factory.Database.ScalarAsync<long>("SELECT last_number FROM ticket_counters WHERE tenant_id = $1", tenantId)).ShouldBe(50);
    }

    [Fact]
    public async Task EachTenant_CountsFromOne()
    {
        var (a, _) = await factory.TenantAsync();
        var (b, _) = await factory.TenantAsync();

        var first = await TicketsFactory.OpenAsync(factory.ClientFor(await factory.ClientUserAsync(a)));
        var second = await TicketsFactory.OpenAsync(factory.ClientFor(await factory.ClientUserAsync(b)));

        first.GetProperty("number").GetInt64().ShouldBe(1);
        second.GetProperty("number").GetInt64().ShouldBe(1);
    }

    [Fact]
    public async Task ARetryWithTheSameIdempotencyKey_ReturnsTheFirstTicket_EvenWhenTheRetriesRace()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var key = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/tickets") { Content = JsonContent.Create(TicketsFactory.NewTicket()) };
            request.Headers.Add("Idempotency-Key", key);
            return client.SendAsync(request);
        }));
        var later = new HttpRequestMessage(HttpMethod.Post, "/api/tickets") { Content = JsonContent.Create(TicketsFactory.NewTicket()) };
        later.Headers.Add("Idempotency-Key", key);
        var retried = await client.SendAsync(later);

        answers.ShouldAllBe(a => a.StatusCode == HttpStatusCode.Created);
        var ids = await Task.WhenAll(answers.Append(retried).Select(async a => (await TicketsFactory.ReadAsync(a)).GetProperty("id").GetGuid()));
        ids.Distinct().Count().ShouldBe(1);
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE tenant_id = $1", tenantId)).ShouldBe(1);
        (await factory.Database.ScalarAsync<long>("SELECT last_number FROM ticket_counters WHERE tenant_id = $1", tenantId)).ShouldBe(1);
        (await factory.EventsAsync("TicketCreated", ids[0])).ShouldBe(1);
    }

    [Fact]
    public async Task TheSameIdempotencyKey_WithAnotherRequest_IsRefused()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Create(string subject)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/tickets") { Content = JsonContent.Create(TicketsFactory.NewTicket(subject)) };
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }

        (await client.SendAsync(Create("First"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var other = await client.SendAsync(Create("Something else"));

        other.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await TicketsFactory.ReadAsync(other)).GetProperty("errors").TryGetProperty("Idempotency-Key", out _).ShouldBeTrue();
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE tenant_id = $1", tenantId)).ShouldBe(1);
    }
}
