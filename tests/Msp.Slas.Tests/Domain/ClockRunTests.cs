using Msp.Slas.Domain;
using NodaTime;
using NodaTime.Text;

namespace Msp.Slas.Tests.Domain;

/// <summary>The clocks replayed from a ticket's facts, in an office calendar (Europe/Paris, Monday to Friday
/// 09:00-18:00) for P2-P4 and around the clock for P1, as one policy can mix them.</summary>
public sealed class ClockRunTests
{
    private static readonly Guid Office = Guid.Parse("0190a5c0-0000-7000-8000-000000000001");

    private static readonly BusinessCalendar OfficeCalendar = new(
        DateTimeZoneProviders.Tzdb["Europe/Paris"],
        new[] { IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday }
            .Select(d => new WorkingRange(d, new LocalTime(9, 0), new LocalTime(18, 0))),
        []);

    private static readonly SlaTerms Terms = new(Guid.CreateVersion7(), "Standard", 75, new Dictionary<string, PriorityTerms>
    {
        ["P1"] = new(15, 60, null),
        ["P2"] = new(60, 120, Office),
        ["P3"] = new(30, 240, Office),
        ["P4"] = new(0, 480, Office),
    });

    private static BusinessCalendar Calendars(Guid? id) => id is null ? BusinessCalendar.AroundTheClock : OfficeCalendar;

    private static DateTimeOffset At(string local) =>
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm").Parse(local).Value
            .InZoneLeniently(OfficeCalendar.Zone).ToDateTimeOffset();

    private static string Show(Instant? instant) => instant?.InZone(OfficeCalendar.Zone).ToString("uuuu-MM-dd HH:mm", null) ?? "none";

    private static readonly Guid Ticket = Guid.CreateVersion7();

    private static TicketFact Created(string at, string priority = "P3") => TicketFact.Of(Guid.Empty, Ticket, 1, FactKind.Created, At(at), priority, "New");

    private static TicketFact Status(long sequence, string at, string status) => TicketFact.Of(Guid.Empty, Ticket, sequence, FactKind.StatusChanged, At(at), status: status);

    private static TicketFact Priority(long sequence, string at, string priority) => TicketFact.Of(Guid.Empty, Ticket, sequence, FactKind.PriorityChanged, At(at), priority);

    private static TicketFact Reply(long sequence, string at) => TicketFact.Of(Guid.Empty, Ticket, sequence, FactKind.StaffReplied, At(at));

    private static (ClockRun Response, ClockRun Resolution) Replay(params TicketFact[] facts)
    {
        var clocks = ClockRun.Replay(Terms, Calendars, facts);
        return (clocks.Single(c => c.Kind == ClockKind.FirstResponse), clocks.Single(c => c.Kind == ClockKind.Resolution));
    }

    [Fact]
    public void AP1AroundTheClock_AndAP3InOfficeHours_ShareOnePolicy()
    {
        var p1 = Replay(Created("2026-11-20 17:55", "P1"));
        var p3 = Replay(Created("2026-11-20 17:55", "P3"));

        Show(p1.Response.DueAt).ShouldBe("2026-11-20 18:10");
        Show(p1.Resolution.DueAt).ShouldBe("2026-11-20 18:55");
        Show(p3.Response.DueAt).ShouldBe("2026-11-23 09:25");
        Show(p3.Resolution.DueAt).ShouldBe("2026-11-23 12:55");
    }

    [Fact]
    public void AClockOpenedOutOfHours_StartsAtTheNextBusinessMinute_AndSaysSo()
    {
        var (response, _) = Replay(Created("2026-11-21 10:00"));

        Show(response.StartedAt).ShouldBe("2026-11-23 09:00");
        Show(response.DueAt).ShouldBe("2026-11-23 09:30");
        response.Ledger.Single().Detail.ShouldContain("out of hours");
    }

    [Fact]
    public void WaitingOnTheCustomer_IsExcluded_AndTheLedgerShowsThePause()
    {
        var (_, resolution) = Replay(
            Created("2026-11-23 09:00"),
            Status(2, "2026-11-23 10:00", "WaitingOnCustomer"),
            Status(3, "2026-11-24 10:00", "Open"));

        resolution.State.ShouldBe(ClockState.Running);
        resolution.ElapsedAt(Instant.FromDateTimeOffset(At("2026-11-24 11:00"))).ShouldBe(Duration.FromMinutes(120));
        Show(resolution.DueAt).ShouldBe("2026-11-24 13:00");
        resolution.Ledger.Select(l => l.Event).ShouldBe(["Started", "Paused", "Resumed"]);
        resolution.Ledger[1].ElapsedMinutes.ShouldBe(60);
        resolution.Ledger[1].DueAt.ShouldBeNull();
        resolution.Ledger[2].Detail.ShouldContain("540 business minutes paused");
        resolution.Ledger[2].RemainingMinutes.ShouldBe(180);
    }

    [Fact]
    public void APauseAcrossTheWeekend_CountsOnlyItsBusinessTimeAsPaused()
    {
        var (_, resolution) = Replay(
            Created("2026-11-20 16:00"),
            Status(2, "2026-11-20 17:00", "WaitingOnCustomer"),
            Status(3, "2026-11-23 10:00", "InProgress"));

        resolution.Ledger[2].Detail.ShouldContain("120 business minutes paused");
        Show(resolution.DueAt).ShouldBe("2026-11-23 13:00");
    }

    [Fact]
    public void APriorityChange_KeepsTheElapsedTime_AndChangesTheTarget()
    {
        var (_, resolution) = Replay(Created("2026-11-23 09:00", "P3"), Priority(2, "2026-11-23 10:00", "P2"));

        resolution.TargetMinutes.ShouldBe(120);
        resolution.ElapsedBefore.ShouldBe(Duration.FromMinutes(60));
        Show(resolution.DueAt).ShouldBe("2026-11-23 11:00");
        resolution.Ledger[^1].Event.ShouldBe("Retargeted");
        resolution.Ledger[^1].Detail.ShouldContain("the 60 minutes elapsed are kept");
    }

    [Fact]
    public void APriorityChangeToATargetAlreadyExceeded_BreachesAtOnce_EvenWhilePaused()
    {
        var (response, resolution) = Replay(
            Created("2026-11-23 09:00", "P3"),
            Status(2, "2026-11-23 09:20", "WaitingOnCustomer"),
            Priority(3, "2026-11-23 11:00", "P1"));

        response.State.ShouldBe(ClockState.Paused);
        Show(response.ExceededAt).ShouldBe("2026-11-23 11:00");
        Show(response.BreachAt).ShouldBe("2026-11-23 11:00");
        Show(response.WarnAt).ShouldBe("2026-11-23 11:00");
        response.Ledger[^1].Detail.ShouldContain("breached at once");
        resolution.ExceededAt.ShouldBeNull("20 minutes are still within the P1 resolution target");
        resolution.BreachAt.ShouldBeNull("a paused clock has no due instant");
    }

    [Fact]
    public void APriorityChangeMidPause_TakesTheNewCalendarOnResume()
    {
        var (_, resolution) = Replay(
            Created("2026-11-20 17:00", "P3"),
            Status(2, "2026-11-20 17:30", "WaitingOnCustomer"),
            Priority(3, "2026-11-21 10:00", "P1"),
            Status(4, "2026-11-21 12:00", "Open"));

        resolution.ElapsedBefore.ShouldBe(Duration.FromMinutes(30));
        Show(resolution.DueAt).ShouldBe("2026-11-21 12:30", "P1 runs around the clock, Saturday included");
    }

    [Fact]
    public void TheFirstPublicReply_StopsTheResponseClock_InTime()
    {
        var (response, resolution) = Replay(Created("2026-11-23 09:00"), Reply(2, "2026-11-23 09:20"));

        response.State.ShouldBe(ClockState.Stopped);
        response.Met.ShouldBeTrue();
        response.WarnAt.ShouldBeNull();
        response.BreachAt.ShouldBeNull();
        response.ElapsedBefore.ShouldBe(Duration.FromMinutes(20));
        resolution.State.ShouldBe(ClockState.Running);
    }

    [Fact]
    public void AReplyAfterTheDeadline_StopsTheClock_AsBreachedAtTheDueInstant()
    {
        var (response, _) = Replay(Created("2026-11-23 09:00"), Reply(2, "2026-11-23 10:00"));

        response.Met.ShouldBeFalse();
        Show(response.ExceededAt).ShouldBe("2026-11-23 09:30");
        Show(response.BreachAt).ShouldBe("2026-11-23 09:30");
        response.Ledger[^1].Detail.ShouldContain("after the breach");
    }

    [Fact]
    public void AReopenedTicket_ResumesItsResolutionClock_FromWhereItStopped()
    {
        var (response, resolution) = Replay(
            Created("2026-11-23 09:00"),
            Reply(2, "2026-11-23 09:10"),
            Status(3, "2026-11-23 10:00", "Resolved"),
            Status(4, "2026-11-23 15:00", "Open"));

        response.State.ShouldBe(ClockState.Stopped, "a response stays given");
        resolution.State.ShouldBe(ClockState.Running);
        resolution.ElapsedBefore.ShouldBe(Duration.FromMinutes(60));
        Show(resolution.DueAt).ShouldBe("2026-11-23 18:00");
        resolution.Ledger.Select(l => l.Event).ShouldBe(["Started", "Stopped", "Reopened"]);
    }

    [Fact]
    public void ACancelledTicket_NeitherMeetsNorMisses()
    {
        var (response, resolution) = Replay(Created("2026-11-23 09:00"), Status(2, "2026-11-23 09:05", "Cancelled"));

        response.Met.ShouldBeFalse();
        response.ExceededAt.ShouldBeNull();
        resolution.State.ShouldBe(ClockState.Stopped);
    }

    [Fact]
    public void AZeroTarget_IsDueAtTheStart()
    {
        var (response, _) = Replay(Created("2026-11-21 10:00", "P4"));

        Show(response.BreachAt).ShouldBe("2026-11-23 09:00");
    }

    [Fact]
    public void TheWarning_FallsAtTheThreshold()
    {
        var (_, resolution) = Replay(Created("2026-11-23 09:00", "P3"));

        Show(resolution.WarnAt).ShouldBe("2026-11-23 12:00", "75 % of 240 minutes");
    }

    [Fact]
    public void FactsArrivingOutOfOrder_GiveTheSameClocksAsInOrder()
    {
        TicketFact[] facts =
        [
            Created("2026-11-23 09:00"),
            Status(2, "2026-11-23 09:30", "WaitingOnCustomer"),
            Priority(3, "2026-11-23 11:00", "P2"),
            Status(4, "2026-11-23 14:00", "InProgress"),
            Reply(5, "2026-11-23 14:10"),
        ];
        var inOrder = Replay(facts);

        foreach (var shuffled in new[] { facts.Reverse().ToArray(), [facts[2], facts[0], facts[4], facts[1], facts[3]] })
        {
            var replayed = Replay(shuffled);
            replayed.Resolution.Ledger.ShouldBe(inOrder.Resolution.Ledger);
            replayed.Response.Ledger.ShouldBe(inOrder.Response.Ledger);
            replayed.Resolution.DueAt.ShouldBe(inOrder.Resolution.DueAt);
        }
    }

    [Fact]
    public void WithoutTheCreation_ThereIsNoClockYet() =>
        ClockRun.Replay(Terms, Calendars, [Status(2, "2026-11-23 09:30", "WaitingOnCustomer")]).ShouldBeEmpty();
}
