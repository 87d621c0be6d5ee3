using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Msp.Gateway.Tests.Health;

public sealed class ReadinessTests(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task Ready_ListsEveryClusterAndIsNotReadyWhileOneIsDown()
    {
        var client = factory.CreateClient();

        var response = await client.GetAsync("/health/ready");

        // The "down" cluster has nothing listening, so the gateway as a whole is not ready.
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var checks = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
        checks["tenants"].ShouldBe("Healthy");
        checks["down"].ShouldBe("Unhealthy");
    }

    [Fact]
    public async Task Live_AnswersWithoutAskingTheServices()
    {
        var response = await factory.CreateClient().GetAsync("/health/live");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
