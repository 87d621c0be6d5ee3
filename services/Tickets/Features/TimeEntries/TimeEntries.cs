using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Msp.ServiceDefaults.Identity;
using Msp.KnownParties;
using Msp.ServiceDefaults.Validation;
using Msp.Tickets.Domain;
using Msp.Tickets.Persistence;

namespace Msp.Tickets.Features.TimeEntries;

/// <summary>Minutes of work; <c>billable</c> defaults to true and <c>workDate</c> to today (UTC).</summary>
public sealed record TimeEntryRequest(int? Minutes, string? WorkType, bool? Billable, string? Note, DateOnly? WorkDate);

public sealed class TimeEntryValidator : AbstractValidator<TimeEntryRequest>
{
    public TimeEntryValidator(IOptions<TicketsOptions> options)
    {
        var types = options.Value.WorkTypes;
        RuleFor(r => r.Minutes).NotNull().WithMessage("Minutes are required.").InclusiveBetween(1, 24 * 60).WithMessage("Minutes are 1 to 1440 per entry.");
        RuleFor(r => r.WorkType).NotEmpty().WithMessage("Work type is required.")
            .Must(t => types.Contains(t)).WithMessage($"Work type is one of {string.Join(", ", types)}.");
        RuleFor(r => r.Note).MaximumLength(2000);
        RuleFor(r => r.WorkDate).Must(d => d is null || d.Value.Year is >= 2000 and <= 2100).WithMessage("The work date is not plausible.");
    }
}

public static class TimeEntries
{
    public static RouteGroupBuilder MapTimeEntries(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/time-entries", Log).Validate<TimeEntryRequest>().RequireAuthorization(MspPolicies.Staff).WithName("LogTime");
        group.MapGet("/{id:guid}/time-entries", List).RequireAuthorization(MspPolicies.Staff).WithName("ListTime");
        group.MapPut("/{id:guid}/time-entries/{entryId:guid}", Change).Validate<TimeEntryRequest>().RequireAuthorization(MspPolicies.Staff).WithName("ChangeTime");
        group.MapDelete("/{id:guid}/time-entries/{entryId:guid}", Delete).RequireAuthorization(MspPolicies.Staff).WithName("DeleteTime");
        return group;
    }

    private static TimeDraft Draft(TimeEntryRequest r, TimeProvider clock) =>
        new(r.Minutes!.Value, r.WorkType!, r.Billable ?? true, string.IsNullOrWhiteSpace(r.Note) ? null : r.Note.Trim(),
            r.WorkDate ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));

    public static async Task<Results<Created<TimeEntryResponse>, NotFound, ProblemHttpResult>> Log(
        Guid id, TimeEntryRequest request, ClaimsPrincipal user, TicketsDb db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var actor = Actor.From(user);
        return await db.AppendAsync<Results<Created<TimeEntryResponse>, NotFound, ProblemHttpResult>>(id, async () =>
        {
            var ticket = await db.FindVisibleAsync(id, actor, ct);
            if (ticket is null)
            {
                return TypedResults.NotFound();
            }

            var entry = TimeEntry.Log(ticket, Draft(request, clock), actor, clock.GetUtcNow());
            db.TimeEntries.Add(entry);
            await db.SaveTicketAsync(ticket, http.TraceIdentifier, ct);
            return TypedResults.Created($"/api/tickets/{id}/time-entries/{entry.Id}", TimeEntryResponse.From(entry));
        }, ct);
    }

    /// <summary>The ticket's time, in work-date order, deleted entries included and marked.</summary>
    public static async Task<Results<Ok<List<TimeEntryResponse>>, NotFound>> List(Guid id, ClaimsPrincipal user, TicketsDb db, CancellationToken ct)
    {
        if (!await db.VisibleTo(Actor.From(user)).AnyAsync(t => t.Id == id, ct))
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(await db.TimeEntries.AsNoTracking().Where(e => e.TicketId == id)
            .OrderBy(e => e.WorkDate).ThenBy(e => e.Id).Select(e => TimeEntryResponse.From(e)).ToListAsync(ct));
    }

    public static async Task<Results<Ok<TimeEntryResponse>, NotFound, ProblemHttpResult>> Change(
        Guid id, Guid entryId, TimeEntryRequest request, ClaimsPrincipal user, TicketsDb db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var actor = Actor.From(user);
        var (ticket, entry) = await FindAsync(db, id, entryId, actor, ct);
        if (ticket is null || entry is null)
        {
            return TypedResults.NotFound();
        }

        entry.Change(ticket, Draft(request, clock), actor, clock.GetUtcNow());
        await db.SaveTicketAsync(ticket, http.TraceIdentifier, ct);
        return TypedResults.Ok(TimeEntryResponse.From(entry));
    }

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Delete(
        Guid id, Guid entryId, ClaimsPrincipal user, TicketsDb db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var actor = Actor.From(user);
        var (ticket, entry) = await FindAsync(db, id, entryId, actor, ct);
        if (ticket is null || entry is null)
        {
            return TypedResults.NotFound();
        }

        entry.Delete(ticket, actor, clock.GetUtcNow());
        await db.SaveTicketAsync(ticket, http.TraceIdentifier, ct);
        return TypedResults.NoContent();
    }

    private static async Task<(Ticket?, TimeEntry?)> FindAsync(TicketsDb db, Guid id, Guid entryId, Actor actor, CancellationToken ct)
    {
        var ticket = await db.FindVisibleAsync(id, actor, ct);
        var entry = ticket is null ? null : await db.TimeEntries.FirstOrDefaultAsync(e => e.Id == entryId && e.TicketId == id, ct);
        return (ticket, entry);
    }
}
