using System.Globalization;
using Msp.Web.Api;

namespace Msp.Web.OperatorConsole.Dashboard;

/// <summary>The dashboard's sums over what the APIs answer.</summary>
public static class DashboardFigures
{
    public sealed record ClientTickets(Guid TenantId, string Name, int Open, int Overdue);

    public sealed record ClientCompliance(Guid TenantId, string Name, IReadOnlyList<Compliance> Months);

    /// <summary>Open tickets per client, the most first (then by name); <c>Overdue</c> counts those past their SLA's due
    /// instant at <paramref name="now"/>.</summary>
    public static List<ClientTickets> PerClient(IEnumerable<WaitingTicket> open, IReadOnlyDictionary<Guid, string> names, DateTimeOffset now) =>
        [.. open.GroupBy(t => t.TenantId)
            .Select(g => new ClientTickets(g.Key, names.GetValueOrDefault(g.Key) ?? g.Key.ToString(), g.Count(), g.Count(t => t.SlaDueAt < now)))
            .OrderByDescending(c => c.Open).ThenBy(c => c.Name, StringComparer.CurrentCulture)];

    /// <summary>The <paramref name="count"/> months up to the one of <paramref name="today"/>, oldest first, as
    /// <c>yyyy-MM</c>.</summary>
    public static string[] LastMonths(DateTimeOffset today, int count)
    {
        var first = new DateTime(today.Year, today.Month, 1);
        return [.. Enumerable.Range(0, count).Select(i => first.AddMonths(i - count + 1).ToString("yyyy-MM", CultureInfo.InvariantCulture))];
    }
}
