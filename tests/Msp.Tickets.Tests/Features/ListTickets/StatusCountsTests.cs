using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Msp.Data;
using Msp.Testing;
using Msp.Tickets.Features.ListTickets;
using Msp.Tickets.Persistence;

namespace Msp.Tickets.Tests.Features.ListTickets;

/// <summary>The counts per tenant and status that the database keeps (migration 0012) answer a queue's header as
/// counting the tickets would, before and after their changes are folded, and only for the caller's scope.</summary>
[Collection(nameof(TicketsApiCollection))]
public sealed class StatusCountsTests(TicketsFactory factory)
{
    private static Dictionary<string, int> ByStatus(JsonElement counts) =>
        counts.GetProperty("byStatus").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());

    /// <summary>The kept counts (a filter on tenant and status only) and the counts read from the tickets (the same
    /// filter with every priority named, which the kept counts do not answer) for one tenant.</summary>
    private static async Task<(Dictionary<string, int> Kept, Dictionary<string, int> Counted)> BothAsync(HttpClient caller, Guid tenantId)
    {
        var kept = await caller.GetFromJsonAsync<JsonElement>($"/api/tickets/counts?tenantId={tenantId}");
        var counted = await caller.GetFromJsonAsync<JsonElement>($"/api/tickets/counts?tenantId={tenantId}&priority=P1,P2,P3,P4");
        kept.GetProperty("total").GetInt32().ShouldBe(ByStatus(kept).Values.Sum());
        return (ByStatus(kept), ByStatus(counted));
    }

    private async Task<int> FoldAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().AllowAll();
        return await StatusCounts.FoldAsync(scope.ServiceProvider.GetRequiredService<TicketsDb>(), CancellationToken.None);
    }

    [Fact]
    public async Task KeptCounts_AreTheTicketsCounted_ThroughOpeningMovesABulkChangeAndFolds()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var (otherId, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var other = factory.ClientFor(await factory.ClientUserAsync(otherId));
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenantId));
        var ids = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add((await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid());
        }

        await TicketsFactory.OpenAsync(other);
        await TicketsFactory.OpenAsync(other);

        var (kept, counted) = await BothAsync(technician, tenantId);
        kept["New"].ShouldBe(6);
        kept.ShouldBe(counted);

        (await technician.PostAsJsonAsync($"/api/tickets/{ids[0]}/status", new { status = "InProgress" })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"/api/tickets/{ids[1]}/status", new { status = "Cancelled" })).EnsureSuccessStatusCode();
        (await FoldAsync()).ShouldBeGreaterThanOrEqualTo(0);
        (await technician.PostAsJsonAsync("/api/tickets/bulk", new { ticketIds = ids.Skip(1).Take(4), status = "InProgress" })).EnsureSuccessStatusCode();
        (await technician.PostAsJsonAsync($"/api/tickets/{ids[2]}/status", new { status = "Resolved" })).EnsureSuccessStatusCode();

        (kept, counted) = await BothAsync(technician, tenantId);
        (kept["New"], kept["InProgress"], kept["Resolved"], kept["Cancelled"]).ShouldBe((1, 3, 1, 1));
        kept.ShouldBe(counted);

        await FoldAsync();
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM ticket_status_changes WHERE tenant_id = $1", tenantId)).ShouldBe(0);
        (kept, counted) = await BothAsync(technician, tenantId);
        (kept["New"], kept["InProgress"], kept["Resolved"], kept["Cancelled"]).ShouldBe((1, 3, 1, 1));
        kept.ShouldBe(counted);
    }

    [Fact]
    public async Task KeptCounts_WithoutATenant_AddUpOnlyTheCallersScope_AndTheStatusesAskedFor()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var (otherId, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var other = factory.ClientFor(await factory.ClientUserAsync(otherId));
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenantId));
        var open = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();
        await TicketsFactory.OpenAsync(client);
        (await client.PostAsJsonAsync($"/api/tickets/{open}/status", new { status = "Cancelled" })).EnsureSuccessStatusCode();
        for (var i = 0; i < 3; i++)
        {
            await TicketsFactory.OpenAsync(other);
        }

        await FoldAsync();
        await TicketsFactory.OpenAsync(other); // a change not folded yet, of a tenant outside the scope

        var all = await technician.GetFromJsonAsync<JsonElement>("/api/tickets/counts");
        (ByStatus(all)["New"], ByStatus(all)["Cancelled"], all.GetProperty("total").GetInt32()).ShouldBe((1, 1, 2));
        var open2 = await technician.GetFromJsonAsync<JsonElement>("/api/tickets/counts?status=New,Open,InProgress");
        (ByStatus(open2)["New"], ByStatus(open2)["Cancelled"], open2.GetProperty("total").GetInt32()).ShouldBe((1, 0, 1));
        var outside = await technician.GetFromJsonAsync<JsonElement>($"/api/tickets/counts?tenantId={otherId}");
        outside.GetProperty("total").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task AFilterOnStatusAndTenantOnly_IsAnsweredFromTheKeptRows_AnyOtherFromTheTickets()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenantId));
        await TicketsFactory.OpenAsync(client);
        // A row no ticket stands for: only an answer read from the kept rows can show it.
        await factory.Database.ScalarAsync<int>("INSERT INTO ticket_status_changes VALUES ($1, 'Open', 5) RETURNING 1", tenantId);

        var (kept, counted) = await BothAsync(technician, tenantId);

        (kept["New"], kept["Open"]).ShouldBe((1, 5));
        (counted["New"], counted["Open"]).ShouldBe((1, 0));
        var mine = await client.GetFromJsonAsync<JsonElement>("/api/tickets/counts");
        ByStatus(mine)["Open"].ShouldBe(0, "a client who sees only their own tickets gets them counted");
    }

    [Fact]
    public async Task TheMigration_CountsTheTicketsAlreadyThere()
    {
        var db = await TestServers.CreateDatabaseAsync("counts");
        var migrations = Migration.EmbeddedIn(typeof(ServiceDatabase).Assembly).Concat(Migration.EmbeddedIn(typeof(TicketsDb).Assembly)).ToList();
        var runner = new MigrationRunner(db.OwnerConnectionString, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        await runner.ApplyAsync(migrations.Where(m => string.CompareOrdinal(m.Version, "0012") < 0), default);
        var (a, b) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        foreach (var (tenant, number, status) in new[] { (a, 1, "New"), (a, 2, "New"), (a, 3, "Closed"), (b, 1, "New") })
        {
            await db.ScalarAsync<int>("""
                INSERT INTO tickets (id, tenant_id, number, reference, subject, description, requester_id, created_by, source,
                                     impact, urgency, priority, status, sequence, history_count, created_at, updated_at)
                VALUES ($1, $2, $3, 'T-' || $3, 'Subject', 'Description', $1, $1, 'Portal', 'Low', 'Low', 'P4', $4, 1, 0, now(), now())
                RETURNING 1
                """, Guid.CreateVersion7(), tenant, (long)number, status);
        }

        await runner.ApplyAsync(migrations, default);

        (await db.ScalarAsync<long>("SELECT tickets FROM ticket_status_counts WHERE tenant_id = $1 AND status = 'New'", a)).ShouldBe(2);
        (await db.ScalarAsync<long>("SELECT tickets FROM ticket_status_counts WHERE tenant_id = $1 AND status = 'Closed'", a)).ShouldBe(1);
        (await db.ScalarAsync<long>("SELECT tickets FROM ticket_status_counts WHERE tenant_id = $1 AND status = 'New'", b)).ShouldBe(1);
        (await db.ScalarAsync<long>("SELECT count(*) FROM ticket_status_changes")).ShouldBe(0);
    }

    [Fact]
    public async Task TheJob_FoldsTheChangesOnItsSchedule()
    {
        await using var service = new TicketsFactory { Settings = { ["Msp:Tickets:StatusCountsSchedule"] = "* * * * * *" } }; // every second
        await ((IAsyncLifetime)service).InitializeAsync();
        var (tenantId, _) = await service.TenantAsync();
        var client = service.ClientFor(await service.ClientUserAsync(tenantId));
        await TicketsFactory.OpenAsync(client);
        await TicketsFactory.OpenAsync(client);

        await Eventually.HoldsAsync(async () => await service.Database.ScalarAsync<long>(
                "SELECT count(*) FROM ticket_status_changes WHERE tenant_id = $1", tenantId) == 0,
            TimeSpan.FromSeconds(60), "the scheduled job folds the changes");
        (await service.Database.ScalarAsync<long>(
            "SELECT tickets FROM ticket_status_counts WHERE tenant_id = $1 AND status = 'New'", tenantId)).ShouldBe(2);
    }
}
