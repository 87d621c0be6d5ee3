using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Msp.ServiceDefaults.Hosting;
using Msp.Tickets.Domain;
using Msp.Tickets.Persistence;

namespace Msp.Tickets.Features;

public sealed record TicketResponse(
    Guid Id, Guid TenantId, long Number, string Reference, string Subject, string Description, Guid RequesterId, TicketSource Source,
    string? Category, Level Impact, Level Urgency, Priority Priority, string? PriorityReason, TicketStatus Status, Guid? AssigneeId, Guid? QueueId,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FirstRespondedAt, DateTimeOffset? ResolvedAt, DateTimeOffset? ClosedAt,
    DateTimeOffset? SlaDueAt, short? Rating, string? RatingComment, long Version)
{
    public string ETag => Preconditions.ETag(Version);

    /// <summary>The requester's display name from the service's copy of the users; null while not known yet.</summary>
    public string? RequesterName { get; init; }

    /// <summary>The requester's e-mail (a staff member's never reaches a client); null while not known yet.</summary>
    public string? RequesterEmail { get; init; }

    public string? AssigneeName { get; init; }

    /// <summary>Minutes of the time entries not deleted; for a ClientAdmin and staff, null for a ClientUser.</summary>
    public int? TimeSpentMinutes { get; init; }

    /// <summary>The statuses the caller may move the ticket to now (<see cref="Ticket.AllowedMoves"/>).</summary>
    public IReadOnlyList<TicketStatus>? AllowedStatuses { get; init; }

    public static TicketResponse From(Ticket t) => new(
        t.Id, t.TenantId, t.Number, t.Reference, t.Subject, t.Description, t.RequesterId, t.Source, t.Category, t.Impact, t.Urgency, t.Priority,
        t.PriorityReason, t.Status, t.AssigneeId, t.QueueId, t.CreatedAt, t.UpdatedAt, t.FirstRespondedAt, t.ResolvedAt, t.ClosedAt, t.Sla == null ? null : t.Sla.DueAt,
        t.Rating, t.RatingComment, t.RowVersion);
}

/// <summary>A ticket in a list: what a queue view shows, without the description and the conversation.</summary>
public sealed record TicketSummary(
    Guid Id, Guid TenantId, long Number, string Reference, string Subject, TicketStatus Status, Priority Priority, TicketSource Source,
    string? Category, Guid RequesterId, Guid? AssigneeId, Guid? QueueId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? FirstRespondedAt, DateTimeOffset? ResolvedAt, DateTimeOffset? SlaDueAt)
{
    public string? RequesterName { get; init; }

    public string? AssigneeName { get; init; }

    /// <summary>With <c>include=time</c>, for a ClientAdmin and staff: minutes of the time entries not deleted.</summary>
    public int? TimeSpentMinutes { get; init; }

    public static readonly System.Linq.Expressions.Expression<Func<Ticket, TicketSummary>> Of = t => new TicketSummary(
        t.Id, t.TenantId, t.Number, t.Reference, t.Subject, t.Status, t.Priority, t.Source, t.Category, t.RequesterId, t.AssigneeId, t.QueueId,
        t.CreatedAt, t.UpdatedAt, t.FirstRespondedAt, t.ResolvedAt, t.Sla!.DueAt);
}

public sealed record CommentResponse(Guid Id, Guid AuthorId, bool ByStaff, Visibility Visibility, string Body, DateTimeOffset CreatedAt)
{
    /// <summary>The author's display name from the service's copy of the users; null while not known yet.</summary>
    public string? AuthorName { get; init; }

    /// <summary>The files attached to this comment (for a client, the public ones).</summary>
    public IReadOnlyList<CommentAttachment> Attachments { get; init; } = [];

    public static CommentResponse From(TicketComment c) => new(c.Id, c.AuthorId, c.ByStaff, c.Visibility, c.Body, c.CreatedAt);
}

/// <summary>A file attached to a comment, as the conversation shows it.</summary>
public sealed record CommentAttachment(Guid Id, string FileName, long Size, string ContentType);

/// <summary>The people ticket answers name, read from the service's copy of the users (<c>known_users</c>) in one query:
/// display names for anyone the caller's scope reaches, e-mails except a staff member's to a client.</summary>
public sealed class People
{
    private readonly Dictionary<Guid, Person> known;

    private People(Dictionary<Guid, Person> known) => this.known = known;

    public static async Task<People> ReadAsync(TicketsDb db, IEnumerable<Guid?> ids, CancellationToken ct)
    {
        var wanted = ids.OfType<Guid>().Distinct().ToArray();
        var rows = wanted.Length == 0 ? [] : await db.KnownUsers.AsNoTracking().Where(u => wanted.Contains(u.Id))
            .Select(u => new Person(u.Id, u.DisplayName, u.Email, u.TenantId == null)).ToListAsync(ct);
        return new People(rows.ToDictionary(p => p.Id));
    }

    /// <summary>The display name; null for someone not heard of yet (or heard of only by an event without a name).</summary>
    public string? NameOf(Guid? id) => id is { } known && this.known.TryGetValue(known, out var p) && p.DisplayName.Length > 0 ? p.DisplayName : null;

    public string? EmailOf(Guid id, Actor viewer) =>
        known.TryGetValue(id, out var p) && p.Email.Length > 0 && !(p.IsStaff && viewer.IsClient) ? p.Email : null;

    private sealed record Person(Guid Id, string DisplayName, string Email, bool IsStaff);
}

/// <summary>The ticket detail as the screens show it: the ticket with the names of its people, the time spent on it
/// (for those who may see it) and the statuses the caller may move it to.</summary>
public static class TicketDetail
{
    public static async Task<TicketResponse> DescribeAsync(
        TicketsDb db, Ticket ticket, Actor actor, TicketsOptions options, DateTimeOffset now, CancellationToken ct)
    {
        var people = await People.ReadAsync(db, [ticket.RequesterId, ticket.AssigneeId], ct);
        int? timeSpent = actor.SeesTimeSpent
            ? await db.TimeEntries.Where(e => e.TicketId == ticket.Id && e.DeletedAt == null).SumAsync(e => (int?)e.Minutes, ct) ?? 0
            : null;
        return TicketResponse.From(ticket) with
        {
            RequesterName = people.NameOf(ticket.RequesterId),
            RequesterEmail = people.EmailOf(ticket.RequesterId, actor),
            AssigneeName = people.NameOf(ticket.AssigneeId),
            TimeSpentMinutes = timeSpent,
            AllowedStatuses = ticket.AllowedMoves(actor, now, options.ReopenWindow),
        };
    }
}

public sealed record TimeEntryResponse(
    Guid Id, Guid TicketId, Guid TechnicianId, int Minutes, string WorkType, bool Billable, string? Note, DateOnly WorkDate, long Version,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt)
{
    public static TimeEntryResponse From(TimeEntry e) => new(
        e.Id, e.TicketId, e.TechnicianId, e.Minutes, e.WorkType, e.Billable, e.Note, e.WorkDate, e.Version, e.CreatedAt, e.UpdatedAt, e.DeletedAt);
}

/// <summary>The tickets an actor may see: their scope's (the database and the query filter see to that), and for a
/// ClientUser only those they requested or opened. Anything else is "not found".</summary>
public static class TicketAccess
{
    public static IQueryable<Ticket> VisibleTo(this TicketsDb db, Actor actor) =>
        actor.SeesOnlyOwnTickets ? db.Tickets.Where(t => t.RequesterId == actor.Id || t.CreatedBy == actor.Id) : db.Tickets;

    public static Task<Ticket?> FindVisibleAsync(this TicketsDb db, Guid id, Actor actor, CancellationToken ct) =>
        db.VisibleTo(actor).Include(t => t.Sla).FirstOrDefaultAsync(t => t.Id == id, ct);
}

/// <summary>What every change of a ticket does around its domain method: find the ticket within the actor's sight,
/// honour <c>If-Match</c>, and save it with its history and events, answering the new version.</summary>
public static class TicketChange
{
    public static async Task<(Ticket? Ticket, Results<Ok<TicketResponse>, NotFound, ValidationProblem, ProblemHttpResult>? Refusal)> FindAsync(
        TicketsDb db, Guid id, Actor actor, HttpContext http, CancellationToken ct)
    {
        var ticket = await db.FindVisibleAsync(id, actor, ct);
        if (ticket is null)
        {
            return (null, TypedResults.NotFound());
        }

        return Preconditions.IfMatchFails(http, Preconditions.ETag(ticket.RowVersion), "ticket") is { } stale ? (null, stale) : (ticket, null);
    }

    /// <summary>Saves a changed ticket and answers it with its new version; a write that raced another answers 412.</summary>
    public static async Task<Results<Ok<TicketResponse>, NotFound, ValidationProblem, ProblemHttpResult>> SaveAsync(
        TicketsDb db, Ticket ticket, Actor actor, HttpContext http, CancellationToken ct)
    {
        try
        {
            await db.SaveTicketAsync(ticket, http.TraceIdentifier, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Precondition failed",
                detail: "The ticket was changed by someone else at the same time; read it again and retry.");
        }

        var services = http.RequestServices;
        var response = await TicketDetail.DescribeAsync(
            db, ticket, actor, services.GetRequiredService<IOptions<TicketsOptions>>().Value, services.GetRequiredService<TimeProvider>().GetUtcNow(), ct);
        http.Response.Headers.ETag = response.ETag;
        return TypedResults.Ok(response);
    }
}

/// <summary>Turns a broken ticket rule into its answer: 409 with the explanation, or 403 when the rule is about who
/// may act. Domain methods throw before anything is saved, so nothing is half-written.</summary>
public sealed class TicketRulesFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (TicketRuleException e)
        {
            return TypedResults.Problem(
                statusCode: e.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status409Conflict,
                title: e.Forbidden ? "Not allowed" : "Conflict",
                detail: e.Message,
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [e.Field] = [e.Message] } });
        }
    }
}
