using System.Text.Json;
using System.Text.RegularExpressions;

using Msp.Testing;

namespace Msp.EndToEnd;

[Collection(nameof(PlatformCollection))]
public sealed class PlatformStartTests(Platform platform)
{
    private async Task<JsonElement[]> StartLogOfAsync(string process) =>
        (await platform.LogOfAsync(process)).Take(platform.StartLogLines[process]).Select(line => JsonDocument.Parse(line).RootElement).ToArray();

    private static string[] Errors(IEnumerable<JsonElement> lines) =>
        lines.Where(l => l.GetProperty("LogLevel").GetString() is "Error" or "Critical")
            .Select(l => $"{l.GetProperty("Category").GetString()}: {l.GetProperty("Message").GetString()}").ToArray();

    [Fact]
    public async Task ANormalStart_LogsNoErrorInTheGateway_ThoughItStartsBeforeTheServicesAreReady()
    {
        Errors(await StartLogOfAsync("gateway")).ShouldBeEmpty();
    }

    [Fact]
    public async Task ANormalStart_LogsNoHealthCheckErrorInAnyService_ThoughTheGatewayProbesThemWhileTheyStart()
    {
        foreach (var process in platform.StartLogLines.Keys.Where(p => p != "gateway"))
        {
            Errors(await StartLogOfAsync(process)).Where(e => e.Contains("HealthChecks", StringComparison.Ordinal)).ShouldBeEmpty(process);
        }
    }

    [Fact]
    public async Task EveryLogLine_IsJsonWithAUtcTimestampToTheMillisecond()
    {
        foreach (var process in platform.StartLogLines.Keys)
        {
            (await StartLogOfAsync(process)).ShouldAllBe(
                l => Regex.IsMatch(l.GetProperty("Timestamp").GetString()!, @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"), process);
        }
    }
}
