using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
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
    public static readonly System.Linq.Expressions.Expression<Func<Ticket, TicketSummary>> Of = t => new TicketSummary(
        t.Id, t.TenantId, t.Number, t.Reference, t.Subject, t.Status, t.Priority, t.Source, t.Category, t.RequesterId, t.AssigneeId, t.QueueId,
        t.CreatedAt, t.UpdatedAt, t.FirstRespondedAt, t.ResolvedAt, t.Sla!.DueAt);
}

public sealed record CommentResponse(Guid Id, Guid AuthorId, bool ByStaff, Visibility Visibility, string Body, DateTimeOffset CreatedAt)
{
    public static CommentResponse From(TicketComment c) => new(c.Id, c.AuthorId, c.ByStaff, c.Visibility, c.Body, c.CreatedAt);
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
        TicketsDb db, Ticket ticket, HttpContext http, CancellationToken ct)
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

        var response = TicketResponse.From(ticket);
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
