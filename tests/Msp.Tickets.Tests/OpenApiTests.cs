using System.Net.Http.Json;
using System.Text.Json;

namespace Msp.Tickets.Tests;

[Collection(nameof(TicketsApiCollection))]
public sealed class OpenApiTests(TicketsFactory factory)
{
    [Fact]
    public async Task TheServiceDescribesItsApi_WithTheNamesTheScreensRead()
    {
        var document = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        document.GetProperty("paths").GetProperty("/api/tickets/{id}/allowed-moves").TryGetProperty("get", out _).ShouldBeTrue();
        var ticket = document.GetProperty("components").GetProperty("schemas").GetProperty("TicketResponse").GetProperty("properties");
        ticket.TryGetProperty("requesterName", out _).ShouldBeTrue();
        ticket.TryGetProperty("allowedStatuses", out _).ShouldBeTrue();
    }
}
