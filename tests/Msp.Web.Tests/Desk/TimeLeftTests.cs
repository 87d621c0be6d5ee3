using Msp.Web.Api;
using Msp.Web.Desk;

namespace Msp.Web.Tests.Desk;

public sealed class TimeLeftTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static StaffClock Clock(string kind, string state, int dueInMinutes, bool warned = false, bool stopped = false) => new(
        kind, state, state == "Running", "P2", 240, 0, 0, Now.AddHours(-1), Now.AddMinutes(dueInMinutes), stopped ? Now : null,
        warned ? Now.AddMinutes(-5) : null, state == "Breached" ? Now : null, []);

    [Theory]
    [InlineData("Running", false, "Running")]
    [InlineData("Running", true, "Warning")]
    [InlineData("Breached", true, "Breached")]
    [InlineData("Paused", false, "Paused")]
    public void TheBadge_FollowsTheSlaEnginesStateOfTheClock(string state, bool warned, string expected) =>
        TimeLeft.Of(new StaffClocks("Standard", Now, [Clock("Resolution", state, 30, warned)]), Now).State.ShouldBe(expected);

    [Fact]
    public void TheClockDueFirst_IsTheOneShown_AndStoppedOrMetClocksAreNot()
    {
        var clocks = new StaffClocks("Standard", Now, [Clock("FirstResponse", "Met", 10, stopped: true), Clock("Resolution", "Running", 90), Clock("Other", "Running", 45, warned: true)]);

        var left = TimeLeft.Of(clocks, Now);

        (left.State, left.Left).ShouldBe(("Warning", TimeSpan.FromMinutes(45)));
    }

    [Fact]
    public void ABreachedClock_OutranksOneDueSooner()
    {
        var clocks = new StaffClocks("Standard", Now, [Clock("FirstResponse", "Running", 5), Clock("Resolution", "Breached", -20)]);

        TimeLeft.Of(clocks, Now).State.ShouldBe("Breached");
        TimeLeft.Of(clocks, Now).Left.ShouldBe(TimeSpan.FromMinutes(-20));
    }

    [Fact]
    public void NoClock_OrOnlyStoppedOnes_ShowNothing()
    {
        TimeLeft.Of((StaffClocks?)null, Now).ShouldBe(TimeLeft.None);
        TimeLeft.Of((IReadOnlyList<ClockSummary>?)null, Now).ShouldBe(TimeLeft.None);
        TimeLeft.Of(new StaffClocks("Standard", Now, [Clock("Resolution", "Stopped", 10, stopped: true)]), Now).ShouldBe(TimeLeft.None);
    }
}
