using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Msp.Testing;
using Msp.Testing.Fuzzing;
using Xunit.Abstractions;

namespace Msp.Tickets.Tests.Features;

/// <summary>The generated fuzz suite over every operation of the Tickets service (see <see cref="FuzzContract{TProgram}"/>).</summary>
[Collection(nameof(TicketsApiCollection))]
public sealed class FuzzTests(TicketsFactory factory, ITestOutputHelper output) : FuzzContract<Program>(factory, output)
{
    private Guid requesterId;
    private string categoryKey = "";

    protected override int MinimumOperations => 24;

    protected override async Task<Guid> CreateTenantAsync() => (await factory.TenantAsync()).Id;

    protected override async Task<HttpClient> SignedInAsync(Caller caller)
    {
        requesterId = caller.TenantId is null ? requesterId : caller.Id;
        return factory.ClientFor(await factory.UserAsync(caller));
    }

    /// <summary>A ticket of the client that fuzzes, with a reply, a time entry and an attachment, and a queue and a
    /// category of its own (the provider's lists are shared with the other tests of the collection).</summary>
    protected override async Task<IReadOnlyDictionary<string, Guid>> SeedAsync(Guid tenantId, HttpClient client, HttpClient staff)
    {
        var ticket = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();
        (await client.PostAsJsonAsync($"/api/tickets/{ticket}/comments", new { body = "Any news?" })).EnsureSuccessStatusCode();
        var entry = await staff.PostAsJsonAsync($"/api/tickets/{ticket}/time-entries", new { minutes = 15, workType = "Remote" });
        entry.EnsureSuccessStatusCode();
        using var file = new MultipartFormDataContent { { new ByteArrayContent("log"u8.ToArray()), "file", "log.txt" } };
        var attachment = await client.PostAsync($"/api/tickets/{ticket}/attachments", file);
        attachment.EnsureSuccessStatusCode();
        var queue = await staff.PostAsJsonAsync("/api/tickets/queues", new { name = "Fuzz " + Guid.NewGuid().ToString("N")[..8] });
        queue.EnsureSuccessStatusCode();
        categoryKey = "fuzz-" + Guid.NewGuid().ToString("N")[..8];
        (await staff.PostAsJsonAsync("/api/tickets/categories", new { key = categoryKey, name = "Fuzz" })).EnsureSuccessStatusCode();
        return new Dictionary<string, Guid>
        {
            ["/api/tickets"] = ticket,
            ["/api/tickets/{id}/time-entries"] = (await TicketsFactory.ReadAsync(entry)).GetProperty("id").GetGuid(),
            ["/api/tickets/{id}/attachments"] = (await TicketsFactory.ReadAsync(attachment)).GetProperty("id").GetGuid(),
            ["/api/tickets/queues"] = (await TicketsFactory.ReadAsync(queue)).GetProperty("id").GetGuid(),
        };
    }

    protected override IReadOnlyDictionary<string, JsonNode?> KnownValues(Guid tenantId, IReadOnlyDictionary<string, Guid> resources) =>
        new Dictionary<string, JsonNode?>
        {
            ["tenantId"] = tenantId.ToString(),
            ["requesterId"] = requesterId.ToString(),
            ["queueId"] = resources["/api/tickets/queues"].ToString(),
            ["key"] = categoryKey,
            ["category"] = "hardware",
            ["workType"] = "Remote",
            ["minutes"] = 15,
            ["score"] = 4,
        };
}
