using System.Globalization;

namespace Msp.Web.Api;

/// <summary>A ticket in a staff queue: the list's summary with the tenant, queue, assignee and next SLA due instant.</summary>
public sealed record DeskRow(
    Guid Id, Guid TenantId, string Reference, string Subject, string Status, string Priority, string Source, string? Category,
    Guid RequesterId, string? RequesterName, Guid? AssigneeId, string? AssigneeName, Guid? QueueId,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? SlaDueAt);

/// <summary>The ticket as staff work it: everything the API answers them.</summary>
public sealed record DeskTicket(
    Guid Id, Guid TenantId, string Reference, string Subject, string Description, Guid RequesterId, string? RequesterName, string? RequesterEmail,
    string Source, string? Category, string Impact, string Urgency, string Priority, string? PriorityReason, string Status, Guid? AssigneeId,
    string? AssigneeName, Guid? QueueId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? ResolvedAt, DateTimeOffset? ClosedAt,
    int? TimeSpentMinutes, IReadOnlyList<string>? AllowedStatuses);

/// <summary>A staff queue's filters. <c>View</c> is <c>mine</c>, <c>unassigned</c>, <c>queue</c> or <c>open</c>;
/// <c>Sort</c> is <c>due</c> (time left), <c>newest</c> or <c>oldest</c>.</summary>
public sealed record DeskQuery(
    string View, Guid? TenantId, string? Status, string? Priority, string? Category, Guid? AssigneeId, Guid? QueueId, string? Q, string Sort,
    string? Cursor, int Limit = 25);

public sealed record TicketCounts(int Total, Dictionary<string, int> ByStatus);

public sealed record TicketQueue(Guid Id, string Name, bool Retired);

public sealed record HistoryEntry(Guid Id, int Position, Guid ActorId, string Action, string? Field, string? OldValue, string? NewValue, string? Detail, DateTimeOffset At);

/// <summary>What a bulk change did to one ticket: <c>Changed</c>, <c>Unchanged</c> (nothing to do), <c>Refused</c>
/// (its rules said no: <c>Field</c> and <c>Reason</c> say why) or <c>NotFound</c>.</summary>
public sealed record BulkOutcome(Guid TicketId, string? Reference, string Outcome, string? Field, string? Reason);

public sealed record BulkResult(IReadOnlyList<BulkOutcome> Results);

/// <summary>The staff side of Tickets: queues across tenants, counts, the full ticket, notes, history, bulk changes.</summary>
public sealed partial class TicketsApi
{
    public Task<Page<DeskRow>> QueueAsync(DeskQuery query, Guid me, CancellationToken ct) =>
        GetAsync<Page<DeskRow>>(Query("/api/tickets", [.. Filters(query, me, withStatus: true),
            ("sort", query.Sort), ("cursor", query.Cursor), ("limit", query.Limit.ToString(CultureInfo.InvariantCulture))]), "Tickets", ct);

    /// <summary>How many tickets per status the same view and filters hold, whatever status is chosen; only the open
    /// statuses unless <paramref name="closedToo"/> (closed tickets are most of a scope, and counting them all on every
    /// queue view costs more than the rest of the page).</summary>
    public Task<TicketCounts> CountsAsync(DeskQuery query, Guid me, bool closedToo, CancellationToken ct) =>
        GetAsync<TicketCounts>(Query("/api/tickets/counts", [.. Filters(query, me, withStatus: false),
            ("status", closedToo ? null : string.Join(',', OpenStatuses))]), "Ticket counts", ct);

    private static IEnumerable<(string, string?)> Filters(DeskQuery query, Guid me, bool withStatus)
    {
        yield return ("view", query.View is "unassigned" ? "unassigned" : null);
        yield return ("assigneeId", query.View == "mine" ? me.ToString() : query.AssigneeId?.ToString());
        yield return ("queueId", query.QueueId?.ToString());
        yield return ("tenantId", query.TenantId?.ToString());
        yield return ("priority", query.Priority);
        yield return ("category", query.Category);
        yield return ("q", query.Q);
        if (withStatus)
        {
            yield return ("status", query.Status ?? (query.Sort == "due" ? null : string.Join(',', OpenStatuses)));
        }
    }

    public Task<DeskTicket> StaffTicketAsync(Guid id, CancellationToken ct) => GetAsync<DeskTicket>($"/api/tickets/{id}", "The ticket", ct);

    public Task<IReadOnlyList<TicketQueue>> QueuesAsync(CancellationToken ct) => GetAsync<IReadOnlyList<TicketQueue>>("/api/tickets/queues", "Queues", ct);

    public Task<Comment> CommentAsync(Guid id, string body, bool internalNote, CancellationToken ct) =>
        SendAsync<Comment>(HttpMethod.Post, $"/api/tickets/{id}/comments", new { body, visibility = internalNote ? "Internal" : "Public" }, "A comment", ct);

    public Task<Ticket> MoveAsync(Guid id, string status, string? reason, CancellationToken ct) =>
        SendAsync<Ticket>(HttpMethod.Post, $"/api/tickets/{id}/status", new { status, reason }, "The ticket", ct);

    public Task<Ticket> OverridePriorityAsync(Guid id, string priority, string reason, CancellationToken ct) =>
        SendAsync<Ticket>(HttpMethod.Patch, $"/api/tickets/{id}", new { priority, priorityReason = reason }, "The ticket", ct);

    public Task<Ticket> AssignAsync(Guid id, Guid? assigneeId, Guid? queueId, CancellationToken ct) =>
        SendAsync<Ticket>(HttpMethod.Post, $"/api/tickets/{id}/assign", new AssignBody(assigneeId, queueId), "The ticket", ct);

    public async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(Guid id, CancellationToken ct) =>
        (await PagesAsync<HistoryEntry>(cursor => Query($"/api/tickets/{id}/history", ("limit", "200"), ("cursor", cursor)), "The history", ct, 1000)).Items;

    /// <summary>One change to many tickets; each ticket's own rules decide, and the answer says per ticket what happened.</summary>
    public Task<BulkResult> BulkAsync(IReadOnlyList<Guid> ticketIds, Guid? assigneeId, Guid? queueId, string? status, CancellationToken ct) =>
        SendAsync<BulkResult>(HttpMethod.Post, "/api/tickets/bulk", new { ticketIds, assigneeId, queueId, status }, "A bulk change", ct);

    /// <summary>The signed-in technician's timer on the ticket; none when they have not started one.</summary>
    public async Task<TicketTimer?> TimerAsync(Guid id, CancellationToken ct)
    {
        try
        {
            return await GetAsync<TicketTimer>($"/api/tickets/{id}/timer", "The timer", ct);
        }
        catch (ApiNotFoundException)
        {
            return null;
        }
    }

    public Task<TicketTimer> StartTimerAsync(Guid id, CancellationToken ct) => SendAsync<TicketTimer>(HttpMethod.Post, $"/api/tickets/{id}/timer", null, "The timer", ct);

    public Task<TicketTimer> PauseTimerAsync(Guid id, CancellationToken ct) => SendAsync<TicketTimer>(HttpMethod.Post, $"/api/tickets/{id}/timer/pause", null, "The timer", ct);

    public Task<TicketTimer> ResumeTimerAsync(Guid id, CancellationToken ct) => SendAsync<TicketTimer>(HttpMethod.Post, $"/api/tickets/{id}/timer/resume", null, "The timer", ct);

    /// <summary>Stops the timer and answers what it counted (the minutes a time entry then records).</summary>
    public Task<TicketTimer> StopTimerAsync(Guid id, CancellationToken ct) => SendAsync<TicketTimer>(HttpMethod.Delete, $"/api/tickets/{id}/timer", null, "The timer", ct);

    public Task<IReadOnlyList<string>> WorkTypesAsync(CancellationToken ct) => GetAsync<IReadOnlyList<string>>("/api/tickets/work-types", "Work types", ct);

    public Task LogTimeAsync(Guid id, TimeEntryDraft entry, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"/api/tickets/{id}/time-entries", entry, "A time entry", ct);

    // Both fields are written, null included: the API reads an absent one as "none".
    private sealed record AssignBody(Guid? AssigneeId, Guid? QueueId);
}

/// <summary>A technician's timer on a ticket, as the Tickets API answers it.</summary>
public sealed record TicketTimer(Guid TicketId, bool Running, DateTimeOffset StartedAt, DateTimeOffset? RunningSince, long ElapsedSeconds, int Minutes);

public sealed record TimeEntryDraft(int Minutes, string WorkType, bool Billable, string? Note, DateOnly WorkDate);

/// <summary>One SLA clock as staff see it, with the ledger that explains how it got where it is.</summary>
public sealed record StaffClock(
    string Kind, string State, bool Counting, string Priority, int TargetMinutes, double ElapsedMinutes, double RemainingMinutes,
    DateTimeOffset StartedAt, DateTimeOffset? DueAt, DateTimeOffset? StoppedAt, DateTimeOffset? WarnedAt, DateTimeOffset? BreachedAt,
    IReadOnlyList<LedgerLine> Ledger);

public sealed record LedgerLine(DateTimeOffset At, string Event, string Detail, string State, string Priority, int TargetMinutes, double ElapsedMinutes, double RemainingMinutes, DateTimeOffset? DueAt);

/// <summary>Where one clock stands, without its ledger (a queue row's badge).</summary>
public sealed record ClockSummary(string Kind, string State, DateTimeOffset? DueAt, DateTimeOffset? StoppedAt, DateTimeOffset? WarnedAt);

public sealed record TicketClockSummary(Guid TicketId, IReadOnlyList<ClockSummary> Clocks);

public sealed record StaffClocks(string? PolicyName, DateTimeOffset AsOf, IReadOnlyList<StaffClock> Clocks);

public sealed partial class SlasApi
{
    /// <summary>Where the clocks of many tickets stand (a queue page's badges), in one call; a ticket the SLA engine has
    /// not heard of yet is absent.</summary>
    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<ClockSummary>>> ClockSummariesAsync(IReadOnlyCollection<Guid> ticketIds, CancellationToken ct)
    {
        if (ticketIds.Count == 0)
        {
            return new Dictionary<Guid, IReadOnlyList<ClockSummary>>();
        }

        var rows = await GetAsync<IReadOnlyList<TicketClockSummary>>($"/api/slas/tickets?ids={string.Join(',', ticketIds)}", "The tickets' SLA", ct);
        return rows.ToDictionary(r => r.TicketId, r => r.Clocks);
    }

    /// <summary>A ticket's clocks for staff; none when the SLA engine has not heard of the ticket yet.</summary>
    public async Task<StaffClocks?> StaffClocksAsync(Guid ticketId, CancellationToken ct)
    {
        try
        {
            return await GetAsync<StaffClocks>($"/api/slas/tickets/{ticketId}", "The ticket's SLA", ct);
        }
        catch (Exception e) when (e is ApiNotFoundException or ApiForbiddenException)
        {
            return null;
        }
    }
}

public sealed record TenantRow(Guid Id, string Name, string Status);

public sealed record StaffMember(Guid Id, string Email, string DisplayName, string Role, string Status, bool AllTenants, IReadOnlyList<Guid> TenantIds);

public sealed partial class TenantsApi
{
    /// <summary>The tenants in the caller's scope, by name (at most <paramref name="max"/>).</summary>
    public async Task<IReadOnlyList<TenantRow>> TenantsAsync(int max, CancellationToken ct) =>
        (await PagesAsync<TenantRow>(cursor => Query("/api/tenants", ("limit", "200"), ("cursor", cursor)), "Tenants", ct, max)).Items;

    public Task<TenantRow> TenantAsync(Guid id, CancellationToken ct) => GetAsync<TenantRow>($"/api/tenants/{id}", "The tenant", ct);

    /// <summary>Active staff, or those who serve one tenant (the people a ticket of it may be assigned to).</summary>
    public async Task<IReadOnlyList<StaffMember>> StaffAsync(Guid? servingTenant, CancellationToken ct) =>
        (await GetAsync<Page<StaffMember>>(Query("/api/staff", ("status", "Active"), ("tenantId", servingTenant?.ToString()), ("limit", "200")), "Staff", ct)).Items;
}

public sealed record CannedResponse(Guid Id, string Title, string Body, bool Retired);

public sealed partial class TicketsApi
{
    /// <summary>The canned responses in use whose title or body contains <paramref name="q"/> (all when empty).</summary>
    public async Task<IReadOnlyList<CannedResponse>> CannedAsync(string? q, CancellationToken ct) =>
        (await GetAsync<Page<CannedResponse>>(Query("/api/tickets/canned-responses", ("q", q), ("limit", "200")), "Canned responses", ct)).Items;
}
