using System.Net.Http.Json;
using System.Text.Json;

namespace Msp.Slas.Tests;

[Collection(nameof(SlasApiCollection))]
public sealed class OpenApiTests(SlasFactory factory)
{
    [Fact]
    public async Task TheServiceDescribesItsApi_TheStaffShapeOfATicketsClocks_AndWhatClientsGet()
    {
        var document = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var clocks = document.GetProperty("paths").GetProperty("/api/slas/tickets/{ticketId}").GetProperty("get");
        clocks.GetProperty("description").GetString()!.ShouldContain("Client roles get a subset");
        clocks.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema")
            .GetProperty("$ref").GetString().ShouldEndWith("/TicketClocksResponse");
    }
}
