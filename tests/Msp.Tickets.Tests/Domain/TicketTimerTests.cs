using Msp.Data;
using Msp.ServiceDefaults.Identity;
using Msp.Tickets.Domain;

namespace Msp.Tickets.Tests.Domain;

/// <summary>The technician's stopwatch on a ticket: started, paused and resumed, counting only the running stretches.</summary>
public sealed class TicketTimerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
    private static readonly Actor Staff = new(Guid.CreateVersion7(), MspRoles.Technician, null);

    private static Ticket NewTicket() => Ticket.Open(Guid.CreateVersion7(), 1, "acme",
        new TicketDraft("Printer", "Jammed", Guid.CreateVersion7(), TicketSource.Phone, null, Level.Low, Level.Low), Staff, Now.AddHours(-1));

    [Fact]
    public void PausedStretches_AreNotCounted_AndPausingOrResumingTwiceChangesNothing()
    {
        var timer = TicketTimer.Start(NewTicket(), Staff, Now);

        timer.Pause(Now.AddMinutes(10));
        timer.Pause(Now.AddMinutes(20));
        timer.Resume(Now.AddMinutes(30));
        timer.Resume(Now.AddMinutes(35));

        timer.ElapsedAt(Now.AddMinutes(45)).ShouldBe(TimeSpan.FromMinutes(25));
        timer.IsRunning.ShouldBeTrue();
    }

    [Fact]
    public void AClockSetBack_NeverMakesTimeNegative()
    {
        var timer = TicketTimer.Start(NewTicket(), Staff, Now);

        timer.ElapsedAt(Now.AddMinutes(-5)).ShouldBe(TimeSpan.Zero);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(30, 1)]
    [InlineData(60, 1)]
    [InlineData(61, 2)]
    [InlineData(3600 * 30, 1440)]
    public void TheEntry_CountsEveryStartedMinute_FromOneToADay(int seconds, int minutes) =>
        TicketTimer.MinutesFor(TimeSpan.FromSeconds(seconds)).ShouldBe(minutes);

    [Fact]
    public void OnlyStaff_TimeTheirWork_AndNotOnACancelledTicket()
    {
        var client = new Actor(Guid.CreateVersion7(), MspRoles.ClientUser, Guid.CreateVersion7());
        var cancelled = NewTicket();
        cancelled.ChangeStatus(TicketStatus.Cancelled, null, Staff, Now, TimeSpan.FromDays(7));

        Should.Throw<TicketRuleException>(() => TicketTimer.Start(NewTicket(), client, Now)).Forbidden.ShouldBeTrue();
        Should.Throw<TicketRuleException>(() => TicketTimer.Start(cancelled, Staff, Now)).Field.ShouldBe("status");
    }
}
