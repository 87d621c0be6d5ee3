using Hangfire;
using Hangfire.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Msp.Jobs;

namespace Msp.Shared.Tests.Jobs;

/// <summary>Tests run several services' hosts in one process, and Hangfire keeps process-wide defaults: a host's jobs
/// must still be built from that host's own services (else a job writes to another host's database).</summary>
public sealed class JobsTests
{
    private sealed record Marker(string Host);

    [Fact]
    public async Task AJob_IsBuiltFromItsOwnHostsServices_WhenAnotherHostConfiguresHangfireInBetween()
    {
        await using var first = Host("first");
        await using var second = Host("second");

        // The order two hosts starting at once can take: the first configures Hangfire (its dashboard does), the
        // second configures it too, then the first's job server asks for its activator.
        first.Services.GetRequiredService<IGlobalConfiguration>();
        second.Services.GetRequiredService<IGlobalConfiguration>();
        var activator = first.Services.GetRequiredService<JobActivator>();

        using var scope = activator.BeginScope((JobActivatorContext)null!);
        scope.Resolve(typeof(Marker)).ShouldBe(new Marker("first"));
    }

    [Fact]
    public async Task AHostThatStopped_LeavesTheOthersAbleToUseHangfire()
    {
        await using var first = Host("first");
        var second = Host("second");
        first.Services.GetRequiredService<IGlobalConfiguration>();
        second.Services.GetRequiredService<IGlobalConfiguration>();

        await second.DisposeAsync();

        // What every Hangfire type does when it is made (a job client for the first host's storage, say).
        Should.NotThrow(() => LogProvider.GetLogger(typeof(BackgroundJobClient)));
    }

    private static WebApplication Host(string name)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["ConnectionStrings:Database"] = $"Host=127.0.0.1;Database={name};Username={name}";
        builder.AddJobs(name, _ => { });
        builder.Services.AddScoped(_ => new Marker(name));
        return builder.Build();
    }
}
