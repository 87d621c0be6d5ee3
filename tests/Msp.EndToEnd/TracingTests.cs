extern alias gateway;
extern alias slas;
extern alias tickets;

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Msp.ServiceDefaults.Identity;
using Msp.Testing;
using OpenTelemetry.Trace;

namespace Msp.EndToEnd;

/// <summary>The tests that read every span of this process run alone: another test hosting services in this process
/// (<see cref="LateServiceTests"/>) would add spans of its own, a request's among them.</summary>
[CollectionDefinition(nameof(ProcessSpansCollection), DisableParallelization = true)]
public sealed class ProcessSpansCollection;

/// <summary>One trace follows a request from the gateway through a service, its outbox and RabbitMQ to another service's
/// consumer. The three are hosted in this process (Tickets on a real port, since the gateway forwards over HTTP), each
/// exporting its spans to memory.</summary>
[Collection(nameof(ProcessSpansCollection))]
public sealed class TracingTests
{
    private readonly ConcurrentDictionary<ActivitySpanId, Activity> spans = new();

    [Fact]
    public async Task ATicketOpenedThroughTheGateway_IsOneTrace_FromTheGatewayToTheSlasConsumer()
    {
        var keys = Directory.CreateTempSubdirectory("msp-trace-keys").FullName;
        await using var ticketsHost = new ServiceFactory<tickets::Program> { Settings = { ["Msp:DataProtection:KeysPath"] = keys }, TestServices = Export };
        ticketsHost.UseKestrel(0);
        await ((IAsyncLifetime)ticketsHost).InitializeAsync();
        await using var slasHost = new ServiceFactory<slas::Program> { JoinRabbitMq = ticketsHost.RabbitMqUri, TestServices = Export };
        await ((IAsyncLifetime)slasHost).InitializeAsync();
        var ticketsAddress = ticketsHost.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        await using var gatewayHost = new Gateway(ticketsAddress, keys, Export);

        var (tenantId, _) = await ticketsHost.TenantAsync();
        var caller = await ticketsHost.ClientUserAsync(tenantId);
        var client = gatewayHost.CreateClient().SignedIn(TestTokens.For(ticketsHost.Services, caller));
        var response = await client.PostAsJsonAsync("/api/tickets", new
        {
            subject = "VPN drops every hour", description = "Since Monday.", impact = "Medium", urgency = "Medium",
        });
        response.EnsureSuccessStatusCode();
        var ticketId = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
        await Eventually.HoldsAsync(async () => await slasHost.Database.ScalarAsync<long>("SELECT count(*) FROM sla_clocks WHERE ticket_id = $1", ticketId) == 2,
            TimeSpan.FromSeconds(30), "Slas starts the ticket's two clocks");

        string Describe() => string.Join('\n', spans.Values.OrderBy(s => s.StartTimeUtc)
            .Select(s => $"{s.TraceId} {s.Source.Name} {s.Kind} {s.DisplayName} {s.GetTagItem("messaging.destination.name")}"));
        var gatewaySpan = spans.Values.Where(s => s.Source.Name == "Microsoft.AspNetCore" && s.ParentSpanId == default && s.DisplayName.StartsWith("POST", StringComparison.Ordinal))
            .OrderBy(s => s.StartTimeUtc).First();
        var trace = gatewaySpan.TraceId;
        await Eventually.HoldsAsync(() => Task.FromResult(spans.Values.Any(s => s.TraceId == trace && IsSlasClocksConsumer(s))),
            TimeSpan.FromSeconds(10), "the Slas consumer's handling of TicketCreated joins the gateway's trace:\n" + Describe());
        spans.Values.Count(s => s.TraceId == trace && s.Source.Name == "Microsoft.AspNetCore").ShouldBe(2, "the gateway's request and the Tickets service's");
        spans.Values.ShouldContain(s => s.TraceId == trace && s.Source.Name == "Msp.Messaging.Outbox", "the outbox relay's publish joined the trace");
        spans.Values.ShouldContain(s => s.TraceId == trace && s.Source.Name == "Npgsql", "the database commands of the request joined the trace");
    }

    private static bool IsSlasClocksConsumer(Activity span) =>
        span.Source.Name == "MassTransit" && span.Kind == ActivityKind.Consumer &&
        $"{span.DisplayName} {span.GetTagItem("messaging.destination.name")}".Contains("slas", StringComparison.OrdinalIgnoreCase);

    private void Export(IServiceCollection services) =>
        services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(new Collected(spans)));

    /// <summary>The gateway, routing the tickets cluster to the Tickets host.</summary>
    private sealed class Gateway(string tickets, string keys, Action<IServiceCollection> services) : WebApplicationFactory<gateway::Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.ConfigureServices(services);
            builder.UseEnvironment("Testing");
            builder.UseContentRoot(Path.Combine(TestServers.RepoRoot, "gateway"));
            builder.UseSetting("Msp:DataProtection:KeysPath", keys);
            builder.UseSetting("ReverseProxy:Clusters:tickets:Destinations:d1:Address", tickets);
        }
    }

    /// <summary>The in-memory exporter's list, kept once per span whichever host's provider exported it (every provider
    /// in this process listens to every source).</summary>
    private sealed class Collected(ConcurrentDictionary<ActivitySpanId, Activity> spans) : ICollection<Activity>
    {
        public int Count => spans.Count;

        public bool IsReadOnly => false;

        public void Add(Activity item) => spans.TryAdd(item.SpanId, item);

        public void Clear() => spans.Clear();

        public bool Contains(Activity item) => spans.ContainsKey(item.SpanId);

        public void CopyTo(Activity[] array, int arrayIndex) => spans.Values.CopyTo(array, arrayIndex);

        public bool Remove(Activity item) => spans.TryRemove(item.SpanId, out _);

        public IEnumerator<Activity> GetEnumerator() => spans.Values.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
