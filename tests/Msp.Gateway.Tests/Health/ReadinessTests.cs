using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.ServiceDefaults.Identity;
using Msp.Testing;

namespace Msp.Gateway.Tests.Health;

public sealed class ReadinessTests(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task Ready_ToAnAdmin_ListsEveryClusterAndIsNotReadyWhileOneIsDown()
    {
        var client = factory.CreateClient().SignedIn(TestTokens.For(factory.Services, Caller.Staff(MspRoles.Admin)));

        var response = await client.GetAsync("/health/ready");

        // The "down" cluster has nothing listening, so the gateway as a whole is not ready.
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var checks = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!);
        checks["tenants"].GetProperty("status").GetString().ShouldBe("Healthy");
        checks["tenants"].GetProperty("data").GetProperty("d1").GetProperty("status").GetString().ShouldBe("Healthy", "the upstream's own report");
        checks["down"].GetProperty("status").GetString().ShouldBe("Unhealthy");
    }

    [Theory]
    [InlineData(null)]
    [InlineData(MspRoles.Operator)]
    [InlineData(MspRoles.Technician)]
    public async Task Ready_ToAnyoneElse_AnswersOnlyTheStatus(string? role)
    {
        var client = factory.CreateClient();
        if (role is not null)
        {
            client.SignedIn(TestTokens.For(factory.Services, Caller.Staff(role)));
        }

        var response = await client.GetAsync("/health/ready");

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).ShouldBe("""{"status":"Unhealthy"}""");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
    }

    [Fact]
    public async Task Live_AnswersWithoutAskingTheServices()
    {
        var response = await factory.CreateClient().GetAsync("/health/live");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
