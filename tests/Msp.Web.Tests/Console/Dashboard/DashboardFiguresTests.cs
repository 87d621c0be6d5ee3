using Msp.Web.Api;
using Msp.Web.OperatorConsole.Dashboard;

namespace Msp.Web.Tests.Console.Dashboard;

public sealed class DashboardFiguresTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 15, 0, 0, TimeSpan.Zero);
    private static readonly Guid A = Guid.NewGuid(), B = Guid.NewGuid(), C = Guid.NewGuid();

    private static WaitingTicket Ticket(Guid tenant, DateTimeOffset? due) =>
        new(Guid.NewGuid(), tenant, "X-1", "s", "Open", "P3", Now.AddDays(-3), due);

    [Fact]
    public void PerClient_CountsOpenAndPastTheirSla_TheMostFirst_ThenByName()
    {
        var names = new Dictionary<Guid, string> { [A] = "Zeta", [B] = "Alpha", [C] = "Beta" };
        var figures = DashboardFigures.PerClient(
            [Ticket(A, Now.AddHours(-1)), Ticket(A, null), Ticket(B, Now.AddHours(2)), Ticket(C, Now.AddMinutes(-1)), Ticket(A, Now.AddHours(1))], names, Now);

        figures.Select(f => (f.Name, f.Open, f.Overdue)).ShouldBe([("Zeta", 3, 1), ("Alpha", 1, 0), ("Beta", 1, 1)]);
    }

    [Fact]
    public void PerClient_NamesAClientItDoesNotKnow_ByItsId()
    {
        DashboardFigures.PerClient([Ticket(A, null)], new Dictionary<Guid, string>(), Now).Single().Name.ShouldBe(A.ToString());
    }

    [Theory]
    [InlineData(2026, 11, 3, new[] { "2026-09", "2026-10", "2026-11" })]
    [InlineData(2027, 1, 3, new[] { "2026-11", "2026-12", "2027-01" })]
    [InlineData(2026, 3, 1, new[] { "2026-03" })]
    public void LastMonths_EndWithTheMonthOfToday_OldestFirst(int year, int month, int count, string[] expected)
    {
        DashboardFigures.LastMonths(new DateTimeOffset(year, month, 31 > DateTime.DaysInMonth(year, month) ? 28 : 31, 23, 0, 0, TimeSpan.Zero), count).ShouldBe(expected);
    }
}
