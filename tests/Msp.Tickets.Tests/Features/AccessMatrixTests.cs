using System.Net.Http.Json;
using Msp.Data;
using Msp.KnownParties;
using Msp.ServiceDefaults.Identity;
using Msp.Testing;

namespace Msp.Tickets.Tests.Features;

/// <summary>The access matrix over every endpoint of the Tickets service.</summary>
[Collection(nameof(TicketsApiCollection))]
public sealed class AccessMatrixTests(TicketsFactory factory) : AccessMatrixContract<Program>(factory)
{
    protected override int MinimumEndpoints => 24;

    // The ticket seeded for each tenant, which a bulk change names in its body (it has no route parameter).
    private readonly Dictionary<Guid, Guid> seededTickets = [];

    protected override async Task<Guid> CreateTenantAsync() => (await factory.TenantAsync()).Id;

    /// <summary>A ticket of the tenant with a reply, an internal note, a time entry and an attachment.</summary>
    protected override async Task<IReadOnlyDictionary<string, Guid>> SeedAsync(Guid tenantId)
    {
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenantId));
        var ticket = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();
        (await technician.PostAsJsonAsync($"/api/tickets/{ticket}/comments", new { body = "Seen.", visibility = "Internal" })).EnsureSuccessStatusCode();
        var entry = await technician.PostAsJsonAsync($"/api/tickets/{ticket}/time-entries", new { minutes = 15, workType = "Remote" });
        entry.EnsureSuccessStatusCode();
        using var file = new MultipartFormDataContent { { new ByteArrayContent("log"u8.ToArray()), "file", "log.txt" } };
        var attachment = await client.PostAsync($"/api/tickets/{ticket}/attachments", file);
        attachment.EnsureSuccessStatusCode();
        seededTickets[tenantId] = ticket;
        return new Dictionary<string, Guid>
        {
            ["/api/tickets"] = ticket,
            ["/api/tickets/{id:guid}/time-entries"] = (await TicketsFactory.ReadAsync(entry)).GetProperty("id").GetGuid(),
            ["/api/tickets/{id:guid}/attachments"] = (await TicketsFactory.ReadAsync(attachment)).GetProperty("id").GetGuid(),
            // The provider's lists are shared by every tenant; only operators change them, so every role here gets 403.
            ["/api/tickets/categories"] = Guid.CreateVersion7(),
            ["/api/tickets/queues"] = Guid.CreateVersion7(),
            ["/api/tickets/canned-responses"] = Guid.CreateVersion7(),
        };
    }

    protected override async Task<HttpClient> SignedInAsync(Caller caller) => factory.ClientFor(await factory.UserAsync(caller));

    protected override object? Body(ApiEndpoint endpoint, Guid tenantId) => endpoint.Name switch
    {
        "POST /api/tickets" => new { subject = "Matrix", description = "d", impact = "Low", urgency = "Low", tenantId, requesterId = Guid.CreateVersion7() },
        "PATCH /api/tickets/{id:guid}" => new { subject = "Changed by the matrix" },
        "POST /api/tickets/{id:guid}/status" => new { status = "Cancelled" },
        "POST /api/tickets/{id:guid}/assign" => new { queueId = "01930000-0000-7000-8000-000000000001" },
        "POST /api/tickets/bulk" => new { ticketIds = new[] { seededTickets.GetValueOrDefault(tenantId) }, status = "Cancelled" },
        "POST /api/tickets/{id:guid}/comments" => new { body = "From the matrix" },
        "POST /api/tickets/{id:guid}/time-entries" or "PUT /api/tickets/{id:guid}/time-entries/{entryId:guid}" => new { minutes = 5, workType = "Remote" },
        "POST /api/tickets/{id:guid}/rating" => new { score = 1 },
        "POST /api/tickets/categories" => new { key = "m" + Guid.NewGuid().ToString("N")[..8], name = "Matrix" },
        "POST /api/tickets/queues" => new { name = "Matrix " + Guid.NewGuid().ToString("N")[..8] },
        "POST /api/tickets/canned-responses" or "PUT /api/tickets/canned-responses/{cannedId:guid}" =>
            new { title = "Matrix " + Guid.NewGuid().ToString("N")[..8], body = "Hello {requester.firstName}." },
        "PATCH /api/tickets/categories/{key}" or "PATCH /api/tickets/queues/{queueId:guid}" => new { name = "Renamed by the matrix", retired = true },
        _ => null,
    };
}
