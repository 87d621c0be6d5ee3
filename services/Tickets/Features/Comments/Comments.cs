using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Persistence;
using Msp.ServiceDefaults.Validation;
using Msp.Tickets.Domain;
using Msp.Tickets.Persistence;

namespace Msp.Tickets.Features.Comments;

public sealed record CommentRequest(string? Body, Visibility? Visibility);

public sealed class CommentValidator : AbstractValidator<CommentRequest>
{
    public CommentValidator() => RuleFor(r => r.Body).NotEmpty().WithMessage("A reply needs a body.").MaximumLength(50_000);
}

public static class Comments
{
    public static RouteGroupBuilder MapComments(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/comments", Add).Validate<CommentRequest>().WithName("AddComment");
        group.MapGet("/{id:guid}/comments", List).WithName("ListComments");
        return group;
    }

    /// <summary>A public reply (the default) or, for staff, an internal note.</summary>
    public static async Task<Results<Created<CommentResponse>, NotFound, ProblemHttpResult>> Add(
        Guid id, CommentRequest request, ClaimsPrincipal user, TicketsDb db, IOptions<TicketsOptions> options, TimeProvider clock,
        HttpContext http, CancellationToken ct)
    {
        var actor = Actor.From(user);
        return await db.AppendAsync<Results<Created<CommentResponse>, NotFound, ProblemHttpResult>>(id, async () =>
        {
            var ticket = await db.FindVisibleAsync(id, actor, ct);
            if (ticket is null)
            {
                return TypedResults.NotFound();
            }

            var comment = ticket.Comment(request.Body!, request.Visibility ?? Visibility.Public, actor, clock.GetUtcNow(), options.Value.ReopenWindow);
            db.Comments.Add(comment);
            await db.SaveTicketAsync(ticket, http.TraceIdentifier, ct);
            http.Response.Headers.ETag = Preconditions.ETag(ticket.RowVersion);
            var people = await People.ReadAsync(db, [comment.AuthorId], ct);
            return TypedResults.Created($"/api/tickets/{id}/comments/{comment.Id}", CommentResponse.From(comment) with { AuthorName = people.NameOf(comment.AuthorId) });
        }, ct);
    }

    /// <summary>The conversation, oldest first, with each author's name and each comment's files; client roles never
    /// see internal notes, nor internal files.</summary>
    public static async Task<Results<Ok<Page<CommentResponse>>, NotFound, ValidationProblem>> List(
        Guid id, ClaimsPrincipal user, TicketsDb db, CancellationToken ct, int? limit = null, string? cursor = null)
    {
        if (!Paging.TryRead<Guid?>(limit, cursor, out var take, out var after, out var problem))
        {
            return problem!;
        }

        var actor = Actor.From(user);
        if (!await db.VisibleTo(actor).AnyAsync(t => t.Id == id, ct))
        {
            return TypedResults.NotFound();
        }

        var query = db.Comments.AsNoTracking().Where(c => c.TicketId == id);
        if (actor.IsClient)
        {
            query = query.Where(c => c.Visibility == Visibility.Public);
        }

        if (after is { } last)
        {
            query = query.Where(c => c.Id > last);
        }

        var rows = await query.OrderBy(c => c.Id).Take(take + 1).ToListAsync(ct);
        var people = await People.ReadAsync(db, rows.Select(c => (Guid?)c.AuthorId), ct);
        var commentIds = rows.Select(c => (Guid?)c.Id).ToArray();
        var files = commentIds.Length == 0 ? [] : await db.Attachments.AsNoTracking()
            .Where(a => a.TicketId == id && commentIds.Contains(a.CommentId) && (!actor.IsClient || a.Visibility == Visibility.Public))
            .OrderBy(a => a.Id).ToListAsync(ct);
        var filesOf = files.ToLookup(a => a.CommentId!.Value, a => new CommentAttachment(a.Id, a.FileName, a.SizeBytes, a.ContentType));
        var comments = rows.Select(c => CommentResponse.From(c) with { AuthorName = people.NameOf(c.AuthorId), Attachments = [.. filesOf[c.Id]] }).ToList();
        return TypedResults.Ok(comments.ToPage(take, c => (Guid?)c.Id));
    }
}
