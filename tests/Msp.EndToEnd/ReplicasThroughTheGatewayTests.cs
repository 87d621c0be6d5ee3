using System.Net;
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
}
