using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.Data;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Identity;
using Msp.ServiceDefaults.Validation;
using Msp.Tickets.Domain;
using Msp.Tickets.Persistence;

namespace Msp.Tickets.Features.CannedResponses;

public sealed record CannedResponseRequest(string? Title, string? Body);

public sealed class CannedResponseValidator : AbstractValidator<CannedResponseRequest>
{
    public CannedResponseValidator()
    {
        RuleFor(r => r.Title).NotEmpty().WithMessage("Title is required.").MaximumLength(100).SingleLine();
        RuleFor(r => r.Body).NotEmpty().WithMessage("Body is required.").MaximumLength(10_000)
            .Must(b => b is null || CannedResponse.UnknownPlaceholders(b).Count == 0)
            .WithMessage(r => $"Unknown placeholder(s) {string.Join(", ", CannedResponse.UnknownPlaceholders(r.Body!).Select(p => "{" + p + "}"))}; "
                + $"a body may name {string.Join(", ", CannedResponse.Placeholders.Select(p => "{" + p + "}"))}.");
    }
}

public sealed record CannedResponseResponse(Guid Id, string Title, string Body, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, bool Retired)
{
    public static CannedResponseResponse From(CannedResponse c) => new(c.Id, c.Title, c.Body, c.CreatedAt, c.UpdatedAt, c.IsRetired);
}

/// <summary>The provider's canned responses, shared by every tenant: staff list and search them (to insert one into a
/// reply, filled for the ticket by the screen that inserts it), operators add, change and retire them. A body may
/// only name the placeholders in <see cref="CannedResponse.Placeholders"/> (400 naming <c>body</c> otherwise).</summary>
public static class CannedResponses
{
    public static RouteGroupBuilder MapCannedResponses(this RouteGroupBuilder group)
    {
        group.MapGet("/canned-responses", List).RequireAuthorization(MspPolicies.Staff).WithName("ListCannedResponses");
        group.MapPost("/canned-responses", Add).Validate<CannedResponseRequest>().RequireAuthorization(MspPolicies.Operators).WithName("AddCannedResponse");
        group.MapPut("/canned-responses/{cannedId:guid}", Change).Validate<CannedResponseRequest>().RequireAuthorization(MspPolicies.Operators)
            .WithName("ChangeCannedResponse");
        group.MapDelete("/canned-responses/{cannedId:guid}", Retire).RequireAuthorization(MspPolicies.Operators).WithName("RetireCannedResponse");
        return group;
    }

    /// <summary>Where the previous page ended: by title, then id.</summary>
    public sealed record CannedKey(string Title, Guid Id);

    /// <summary>The responses in use by title, keyset-paged; <c>q</c> keeps those whose title or body contains it.</summary>
    public static async Task<Results<Ok<Page<CannedResponseResponse>>, ValidationProblem>> List(
        TicketsDb db, CancellationToken ct, string? q = null, int? limit = null, string? cursor = null, bool includeRetired = false)
    {
        if (!Paging.TryRead<CannedKey>(limit, cursor, out var take, out var after, out var problem))
        {
            return problem!;
        }

        var query = db.CannedResponses.AsNoTracking().Where(c => includeRetired || c.RetiredAt == null);
        if (!string.IsNullOrWhiteSpace(q))
        {
            var pattern = "%" + q.Trim().Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";
            query = query.Where(c => EF.Functions.ILike(c.Title, pattern) || EF.Functions.ILike(c.Body, pattern));
        }

        if (after is not null)
        {
            query = query.Where(c => EF.Functions.GreaterThan(ValueTuple.Create(c.Title, c.Id), ValueTuple.Create(after.Title, after.Id)));
        }

        var rows = await query.OrderBy(c => c.Title).ThenBy(c => c.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(CannedResponseResponse.From).ToList().ToPage(take, c => new CannedKey(c.Title, c.Id)));
    }

    public static async Task<Results<Created<CannedResponseResponse>, ProblemHttpResult>> Add(
        CannedResponseRequest request, ClaimsPrincipal user, TicketsDb db, TimeProvider clock, CancellationToken ct)
    {
        var title = request.Title!.Trim();
        if (await TitleTakenAsync(db, title, null, ct))
        {
            return TitleTaken(title);
        }

        var canned = CannedResponse.New(title, request.Body!, Actor.From(user), clock.GetUtcNow());
        db.CannedResponses.Add(canned);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation("canned_responses_title_folded"))
        {
            return TitleTaken(title);
        }

        return TypedResults.Created($"/api/tickets/canned-responses/{canned.Id}", CannedResponseResponse.From(canned));
    }

    public static async Task<Results<Ok<CannedResponseResponse>, NotFound, ProblemHttpResult>> Change(
        Guid cannedId, CannedResponseRequest request, TicketsDb db, TimeProvider clock, CancellationToken ct)
    {
        if (await db.CannedResponses.FirstOrDefaultAsync(c => c.Id == cannedId, ct) is not { } canned)
        {
            return TypedResults.NotFound();
        }

        if (canned.IsRetired)
        {
            return Problems.Conflict("retiredAt", "A retired canned response is no longer changed.");
        }

        var title = request.Title!.Trim();
        if (await TitleTakenAsync(db, title, cannedId, ct))
        {
            return TitleTaken(title);
        }

        canned.Change(title, request.Body!, clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Precondition failed",
                detail: "The canned response was changed by someone else at the same time; read it again and retry.");
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation("canned_responses_title_folded"))
        {
            return TitleTaken(title);
        }

        return TypedResults.Ok(CannedResponseResponse.From(canned));
    }

    /// <summary>Retires the response: no longer listed (except with <c>includeRetired=true</c>) nor changed. Retiring
    /// a retired one changes nothing.</summary>
    public static async Task<Results<NoContent, NotFound>> Retire(Guid cannedId, TicketsDb db, TimeProvider clock, CancellationToken ct)
    {
        if (await db.CannedResponses.FirstOrDefaultAsync(c => c.Id == cannedId, ct) is not { } canned)
        {
            return TypedResults.NotFound();
        }

        canned.Retire(clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Retired at the same time by someone else: the outcome is the same.
        }

        return TypedResults.NoContent();
    }

    private static Task<bool> TitleTakenAsync(TicketsDb db, string title, Guid? except, CancellationToken ct)
    {
        var folded = title.ToLowerInvariant();
        return db.CannedResponses.AnyAsync(c => c.RetiredAt == null && c.Title.ToLower() == folded && c.Id != except, ct);
    }

    private static ProblemHttpResult TitleTaken(string title) => Problems.Conflict("title", $"A canned response titled '{title}' exists already.");
}
