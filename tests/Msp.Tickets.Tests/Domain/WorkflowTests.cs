using Msp.Tickets.Domain;

namespace Msp.Tickets.Tests.Domain;

public sealed class WorkflowTests
{
    [Theory]
    [InlineData(Level.High, Level.High, Priority.P1)]
    [InlineData(Level.High, Level.Medium, Priority.P2)]
    [InlineData(Level.Medium, Level.High, Priority.P2)]
    [InlineData(Level.High, Level.Low, Priority.P3)]
    [InlineData(Level.Low, Level.High, Priority.P3)]
    [InlineData(Level.Medium, Level.Medium, Priority.P3)]
    [InlineData(Level.Medium, Level.Low, Priority.P4)]
    [InlineData(Level.Low, Level.Medium, Priority.P4)]
    [InlineData(Level.Low, Level.Low, Priority.P4)]
    public void ThePriorityMatrix(Level impact, Level urgency, Priority expected) =>
        PriorityMatrix.For(impact, urgency).ShouldBe(expected);

    public static TheoryData<TicketStatus, TicketStatus, bool> Moves()
    {
        var data = new TheoryData<TicketStatus, TicketStatus, bool>();
        var working = new[] { TicketStatus.New, TicketStatus.Open, TicketStatus.InProgress, TicketStatus.WaitingOnCustomer, TicketStatus.WaitingOnThirdParty };
        foreach (var from in Enum.GetValues<TicketStatus>())
        {
            foreach (var to in Enum.GetValues<TicketStatus>())
            {
                var allowed = from != to && (working.Contains(from)
                    ? to is not (TicketStatus.New or TicketStatus.Closed)
                    : from == TicketStatus.Resolved && to is TicketStatus.Open or TicketStatus.Closed);
                data.Add(from, to, allowed);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Moves))]
    public void EveryMove_IsAllowedOnlyWhereTheWorkflowSaysSo(TicketStatus from, TicketStatus to, bool allowed) =>
        Workflow.Allows(from, to).ShouldBe(allowed);

    [Fact]
    public void ClosedAndCancelled_AreFinal()
    {
        Workflow.AllowedFrom(TicketStatus.Closed).ShouldBeEmpty();
        Workflow.AllowedFrom(TicketStatus.Cancelled).ShouldBeEmpty();
    }
}
