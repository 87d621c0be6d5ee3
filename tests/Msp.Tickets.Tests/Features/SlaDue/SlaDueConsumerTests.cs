using System.Net.Http.Json;
using System.Text.Json;
using Msp.Contracts;
using Msp.Contracts.Slas;
using Msp.Testing;

namespace Msp.Tickets.Tests.Features.SlaDue;

/// <summary>The due instants Slas announces sort the ticket lists by time left, newest announcement winning.</summary>
[Collection(nameof(TicketsApiCollection))]
public sealed class SlaDueConsumerTests(TicketsFactory factory)
{
    private async Task AnnounceAsync(Guid tenantId, Guid ticketId, long revision, DateTimeOffset? due)
    {
        var message = new SlaClockChanged
        {
            EventId = EventIds.New(), TenantId = tenantId, OccurredAt = DateTimeOffset.UtcNow, TicketId = ticketId, Revision = revision, DueAt = due,
        };
        await factory.Bus.Publish(message);
        await Eventually.HoldsAsync(() => Task.FromResult(factory.Consumed.Of(message.EventId) == 1), TimeSpan.FromSeconds(15), "the announcement is consumed");
    }

    /// <summary>A tenant with <paramref name="count"/> tickets opened by its client, and a technician of it.</summary>
    private async Task<(Guid Tenant, HttpClient Technician, List<Guid> Ids)> TicketsOfOneTenantAsync(int count)
    {
        var (tenant, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenant));
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid());
        }

        return (tenant, factory.ClientFor(await factory.TechnicianAsync(tenant)), ids);
    }

    [Fact]
    public async Task TicketsSortByTheirDueInstant_AndAnOlderAnnouncementChangesNothing()
    {
        var (tenant, technician, ids) = await TicketsOfOneTenantAsync(4);

        var read = await technician.GetAsync($"/api/tickets/{ids[0]}");
        var etag = read.Headers.ETag!.Tag;
        var now = DateTimeOffset.UtcNow;
        await AnnounceAsync(tenant, ids[0], 2, now.AddHours(3));
        await AnnounceAsync(tenant, ids[1], 1, now.AddHours(1));
        await AnnounceAsync(tenant, ids[2], 1, now.AddHours(2));
        await AnnounceAsync(tenant, ids[0], 1, now.AddMinutes(5)); // older than revision 2: ignored

        var list = await technician.GetFromJsonAsync<JsonElement>($"/api/tickets?tenantId={tenant}&sort=due&limit=2");
        var page = list.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToList();
        page.ShouldBe([ids[1], ids[2]]);
        var next = await technician.GetFromJsonAsync<JsonElement>($"/api/tickets?tenantId={tenant}&sort=due&limit=2&cursor={list.GetProperty("nextCursor").GetString()}");
        next.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ShouldBe([ids[0], ids[3]], "no due instant sorts last");

        var after = await technician.GetAsync($"/api/tickets/{ids[0]}");
        after.Headers.ETag!.Tag.ShouldBe(etag, "an SLA announcement is not a change of the ticket");
        (await after.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("slaDueAt").GetDateTimeOffset().ShouldBe(now.AddHours(3), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task PagesByTimeLeft_WalkTheDueTicketsThenTheOthers_WhereverAPageEnds()
    {
        var (tenant, technician, ids) = await TicketsOfOneTenantAsync(5);

        var now = DateTimeOffset.UtcNow;
        await AnnounceAsync(tenant, ids[3], 1, now.AddHours(2));
        await AnnounceAsync(tenant, ids[1], 1, now.AddHours(1));

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await technician.GetFromJsonAsync<JsonElement>($"/api/tickets?tenantId={tenant}&sort=due&limit=2{(cursor is null ? "" : $"&cursor={cursor}")}");
            seen.Add(string.Join(' ', page.GetProperty("items").EnumerateArray().Select(t => ids.IndexOf(t.GetProperty("id").GetGuid()))));
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null && seen.Count < 10);

        // The first page ends with the last due ticket; the second starts the undated ones, the third goes on from an undated one.
        seen.ShouldBe(["1 3", "0 2", "4"]);
    }
}
