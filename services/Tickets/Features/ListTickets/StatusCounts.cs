using Hangfire;
using Microsoft.EntityFrameworkCore;
using Msp.Data;
using Msp.Tickets.Domain;
using Msp.Tickets.Persistence;

namespace Msp.Tickets.Features.ListTickets;

/// <summary>The tickets per tenant and status that the database keeps as tickets change (migration 0012, decision
/// 0127): the kept counts plus the changes not folded into them yet, under the caller's row-level security.</summary>
public static class StatusCounts
{
    /// <summary>Whether the kept counts answer <paramref name="filter"/> for <paramref name="actor"/>: a filter on status
    /// and tenant only, for someone who sees every ticket of their scope (not a client who sees only their own).</summary>
    public static bool Answer(TicketFilter filter, Actor actor) =>
        !actor.SeesOnlyOwnTickets && filter is
        {
            Priority: null or [], AssigneeId: null, QueueId: null, CreatedFrom: null, CreatedTo: null, View: null,
        } && string.IsNullOrWhiteSpace(filter.Category) && string.IsNullOrWhiteSpace(filter.Q);

    /// <summary>How many tickets of the scope (of <paramref name="tenantId"/> when given) are in each of
    /// <paramref name="statuses"/> (every status when none).</summary>
    public static async Task<Dictionary<TicketStatus, int>> ReadAsync(TicketsDb db, TicketStatus[]? statuses, Guid? tenantId, CancellationToken ct)
    {
        var names = (statuses is { Length: > 0 } ? statuses : Enum.GetValues<TicketStatus>()).Select(s => s.ToString()).ToArray();
        var rows = tenantId is { } tenant
            ? db.Database.SqlQuery<Kept>($"""
                SELECT status AS "Status", sum(tickets) AS "Tickets" FROM (
                    SELECT status, tickets FROM ticket_status_counts WHERE tenant_id = {tenant} AND status = ANY ({names})
                    UNION ALL
                    SELECT status, tickets FROM ticket_status_changes WHERE tenant_id = {tenant} AND status = ANY ({names})) kept
                GROUP BY status
                """)
            : db.Database.SqlQuery<Kept>($"""
                SELECT status AS "Status", sum(tickets) AS "Tickets" FROM (
                    SELECT status, tickets FROM ticket_status_counts WHERE status = ANY ({names})
                    UNION ALL
                    SELECT status, tickets FROM ticket_status_changes WHERE status = ANY ({names})) kept
                GROUP BY status
                """);
        var counted = await rows.ToDictionaryAsync(r => r.Status, r => r.Tickets, ct);
        return Enum.GetValues<TicketStatus>().ToDictionary(
            s => s, s => names.Contains(s.ToString()) ? (int)counted.GetValueOrDefault(s.ToString()) : 0);
    }

    /// <summary>Moves every change appended since the last fold into the kept counts, in one statement (the changes it
    /// deletes are the ones it adds) and in the order of the counts' key, so that two folds at once cannot deadlock.
    /// Answers how many changes it moved. Runs across every tenant.</summary>
    public static Task<int> FoldAsync(TicketsDb db, CancellationToken ct) => db.Database.ExecuteSqlAsync($"""
        WITH moved AS (DELETE FROM ticket_status_changes RETURNING tenant_id, status, tickets)
        INSERT INTO ticket_status_counts (tenant_id, status, tickets)
        SELECT tenant_id, status, sum(tickets) FROM moved GROUP BY tenant_id, status ORDER BY tenant_id, status
        ON CONFLICT (tenant_id, status) DO UPDATE SET tickets = ticket_status_counts.tickets + excluded.tickets
        """, ct);

    private sealed record Kept(string Status, long Tickets);
}

/// <summary>Folds the changes of the tickets' status counts into the counts (<see cref="StatusCounts.FoldAsync"/>), on
/// the schedule <c>Msp:Tickets:StatusCountsSchedule</c>; a reader adds up whatever is not folded yet, so the schedule
/// bounds only how many change rows a count reads.</summary>
public sealed class StatusCountsJob(IServiceScopeFactory scopes)
{
    public const string Id = "status-counts";

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 0)] // the next occurrence folds what this one left
    public async Task RunAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().AllowAll();
        await StatusCounts.FoldAsync(scope.ServiceProvider.GetRequiredService<TicketsDb>(), ct);
    }
}
