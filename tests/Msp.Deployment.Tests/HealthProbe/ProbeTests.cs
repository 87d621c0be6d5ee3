using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Msp.HealthProbe;

namespace Msp.Deployment.Tests.HealthProbe;

/// <summary>The containers' HEALTHCHECK program, run as Docker runs it (<c>dotnet Msp.HealthProbe.dll /health/ready</c>)
/// against a real HTTP server on loopback.</summary>
public class ProbeTests
{
    public static TheoryData<string?, string?, string?, string> Targets => new()
    {
        { null, null, null, "http://127.0.0.1:8080/health/live" },
        { "/health/ready", null, "8080", "http://127.0.0.1:8080/health/ready" },
        { "/health/ready", null, "5000;5001", "http://127.0.0.1:5000/health/ready" },
        { "health/ready", "http://+:7000", "8080", "http://127.0.0.1:7000/health/ready" },
        { "/health/live", "http://*:7001/;https://*:7443", null, "http://127.0.0.1:7001/health/live" },
        { "http://10.0.0.1:9000/ping", null, "8080", "http://10.0.0.1:9000/ping" },
    };

    [Theory, MemberData(nameof(Targets))]
    public void Target_IsThePathOnTheLoopbackPortTheAppListensOn(string? argument, string? urls, string? ports, string expected)
    {
        var environment = new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = urls, ["ASPNETCORE_HTTP_PORTS"] = ports };
        Probe.Target(argument, name => environment.GetValueOrDefault(name)).ShouldBe(new Uri(expected));
    }

    [Fact]
    public async Task Probe_ExitsZeroOnlyWhenTheEndpointAnswersSuccess()
    {
        await using var app = await StartAsync();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
        var env = new Dictionary<string, string?> { ["ASPNETCORE_HTTP_PORTS"] = port.ToString(), ["ASPNETCORE_URLS"] = null };

        (await RunProbeAsync(env, "/health/live")).ExitCode.ShouldBe(0);
        (await RunProbeAsync(env)).ExitCode.ShouldBe(0, "the default path is /health/live");
        var unready = await RunProbeAsync(env, "/health/ready");
        unready.ExitCode.ShouldBe(1);
        unready.Error.ShouldContain("503");
        (await RunProbeAsync(env, "/health/slow")).ExitCode.ShouldBe(1, "an answer slower than the timeout is a failure");

        await app.StopAsync();
        var nobody = await RunProbeAsync(env, "/health/live");
        nobody.ExitCode.ShouldBe(1);
        nobody.Error.ShouldContain("did not answer");
    }

    private static async Task<WebApplication> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/health/live", () => "Healthy");
        app.MapGet("/health/ready", () => Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/health/slow", async () =>
        {
            await Task.Delay(Probe.Timeout + TimeSpan.FromSeconds(2));
            return "late";
        });
        await app.StartAsync();
        return app;
    }

    private static Task<CommandResult> RunProbeAsync(IDictionary<string, string?> environment, params string[] args) =>
        Command.RunAsync("dotnet", [typeof(Probe).Assembly.Location, .. args], environment: environment, timeout: TimeSpan.FromSeconds(30));
}
