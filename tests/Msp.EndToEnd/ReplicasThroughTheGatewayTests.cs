using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Testing;
using Xunit.Abstractions;

namespace Msp.EndToEnd;

[Collection(nameof(PlatformCollection))]
public sealed class ReplicasThroughTheGatewayTests(Platform platform, ITestOutputHelper output)
{
    private async Task<string[]> ServedByAsync(string process, IEnumerable<string> correlationIds)
    {
        var log = await platform.LogOfAsync(process);
        return correlationIds.Where(id => log.Any(line => line.Contains($"\"CorrelationId\":\"{id}\"", StringComparison.Ordinal))).ToArray();
    }

    [Fact]
    public async Task RequestsToOneCluster_ReachBothTicketsProcesses_EachRequestOnlyOne()
    {
        var sent = new List<string>();
        await Eventually.HoldsAsync(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                var id = $"replicas-{Guid.NewGuid():N}";
                var request = new HttpRequestMessage(HttpMethod.Get, "/api/tickets?limit=1");
                request.Headers.Add("X-Correlation-Id", id);
                (await platform.Gateway.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.OK);
                sent.Add(id);
            }

            return (await ServedByAsync("tickets", sent)).Length > 0 && (await ServedByAsync(Platform.TicketsReplica, sent)).Length > 0;
        }, TimeSpan.FromSeconds(30), "both Tickets processes serve requests through the gateway");

        // Every request was served, and by one process only.
        string[] first = [], second = [];
        await Eventually.HoldsAsync(async () =>
        {
            first = await ServedByAsync("tickets", sent);
            second = await ServedByAsync(Platform.TicketsReplica, sent);
            return first.Length + second.Length >= sent.Count;
        }, TimeSpan.FromSeconds(5), "every request appears in one process's log");
        first.Intersect(second).ShouldBeEmpty();
        (first.Length + second.Length).ShouldBe(sent.Count);
        output.WriteLine($"{sent.Count} requests: {first.Length} served by tickets, {second.Length} by {Platform.TicketsReplica}");
    }

    /// <summary>A replica of Tickets killed (SIGKILL) while clients open tickets: the clients see no error beyond the
    /// requests that were in flight on it (the gateway sends a request a dead replica refuses to the other one), and every
    /// ticket that answered 201 gets both its SLA clocks.</summary>
    [Fact]
    public async Task ATicketsReplicaKilledUnderLoad_CostsAtMostTheRequestsInFlightOnIt_AndEveryCreatedTicketGetsBothClocks()
    {
        const int workers = 4;
        var (tenant, _) = await platform.CreateTenantAsync();
        var (_, client) = await platform.SignedInUserAsync("ClientUser", tenant);
        var created = new ConcurrentBag<Guid>();
        var failed = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    var response = await client.PostAsJsonAsync("/api/tickets",
                        new { subject = $"Printer {worker}-{i} is offline", description = "It shows an error.", impact = "Low", urgency = "Low" });
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        created.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
                    }
                    else
                    {
                        failed.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                }
                catch (HttpRequestException e)
                {
                    failed.Add(e.Message);
                }
            }
        })).ToArray();

        int beforeKill, afterKill;
        try
        {
            await Eventually.HoldsAsync(() => Task.FromResult(created.Count >= 20), TimeSpan.FromSeconds(60), "tickets are being created");
            beforeKill = created.Count;
            await platform.StopAsync(Platform.TicketsReplica);
            await Eventually.HoldsAsync(() => Task.FromResult(created.Count >= beforeKill + 40), TimeSpan.FromSeconds(60),
                "creation goes on through the other replica");
            afterKill = created.Count;
        }
        finally
        {
            stop.Cancel();
            await Task.WhenAll(load);
            await platform.RestartAsync(Platform.TicketsReplica);
        }

        output.WriteLine($"{created.Count} tickets created ({beforeKill} before the kill, {afterKill - beforeKill} after); {failed.Count} failed: {string.Join(" | ", failed.Take(5))}");
        failed.Count.ShouldBeLessThanOrEqualTo(workers, "only requests in flight on the killed replica may fail");
        var ids = created.ToArray();
        await Eventually.HoldsAsync(async () => await platform.Databases["slas"].ScalarAsync<long>(
                "SELECT count(*) FROM sla_clocks WHERE ticket_id = ANY($1)", ids) == 2L * ids.Length,
            TimeSpan.FromSeconds(60), "every ticket that answered 201 has both its SLA clocks");
    }
}
