using Msp.Web.Api;

namespace Msp.Web.Desk;

/// <summary>How a ticket's next SLA deadline stands, as the SLA engine says: <c>Breached</c> once a counting clock
/// passed its target, <c>Warning</c> once it passed the policy's warning threshold, <c>Paused</c> while it waits on the
/// customer, <c>Running</c> otherwise; <c>None</c> when no clock counts (met, stopped, or not heard of yet).</summary>
public sealed record TimeLeft(string State, DateTimeOffset? DueAt, TimeSpan? Left)
{
    public static readonly TimeLeft None = new("None", null, null);

    /// <summary>The clock that falls due first among those still counting (or paused), and its state.</summary>
    public static TimeLeft Of(StaffClocks? clocks, DateTimeOffset now) =>
        Of(clocks?.Clocks.Select(c => new ClockSummary(c.Kind, c.State, c.DueAt, c.StoppedAt, c.WarnedAt)).ToList(), now);

    /// <summary>The same, from the clocks' summaries (a queue page reads them for all its rows at once).</summary>
    public static TimeLeft Of(IReadOnlyList<ClockSummary>? clocks, DateTimeOffset now)
    {
        var open = clocks?.Where(c => c.StoppedAt is null && c.State is "Running" or "Paused" or "Breached").ToList() ?? [];
        if (open.Count == 0)
        {
            return None;
        }

        // A breached clock is the most urgent; otherwise the one due first.
        var clock = open.OrderBy(c => c.State == "Breached" ? 0 : 1).ThenBy(c => c.DueAt ?? DateTimeOffset.MaxValue).First();
        var state = clock.State switch
        {
            "Breached" => "Breached",
            "Paused" => "Paused",
            _ when clock.WarnedAt is not null => "Warning",
            _ => "Running",
        };
        return new TimeLeft(state, clock.DueAt, clock.DueAt is { } due && state != "Paused" ? due - now : null);
    }

    /// <summary>The CSS class of the badge: amber at the warning threshold, red once breached.</summary>
    public string Css => State.ToLowerInvariant();
}
