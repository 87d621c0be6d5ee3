using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Msp.KnownParties;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Identity;
using Msp.ServiceDefaults.Validation;
using Msp.Tickets.Domain;
using Msp.Tickets.Persistence;

namespace Msp.Tickets.Features.BulkChange;

/// <summary>One change for many tickets: what is present changes (the assignee, the queue, the status with its
/// reason), what is absent stays as each ticket has it.</summary>
public sealed record BulkChangeRequest(IReadOnlyList<Guid>? TicketIds, Guid? AssigneeId, Guid? QueueId, TicketStatus? Status, string? Reason);

public sealed class BulkChangeValidator : AbstractValidator<BulkChangeRequest>
{
    public const int MaxTickets = 100;

    public BulkChangeValidator()
    {
        RuleFor(r => r.TicketIds).NotEmpty().WithMessage("Name at least one ticket.")
            .Must(ids => ids is null || ids.Count <= MaxTickets).WithMessage($"At most {MaxTickets} tickets at a time.");
        RuleFor(r => r.Status).IsInEnum();
        RuleFor(r => r.Reason).MaximumLength(500).SingleLine();
        RuleFor(r => r).Must(r => r.AssigneeId is not null || r.QueueId is not null || r.Status is not null)
            .WithMessage("Send an assigneeId, a queueId or a status to apply.").OverridePropertyName("body");
    }
}

/// <summary>What happened to one ticket: <c>Changed</c>, <c>Unchanged</c> (it already was so), <c>Refused</c> (one of
/// its rules said no; <c>field</c> and <c>reason</c> say which and why, and nothing of it changed) or <c>NotFound</c>
/// (unknown, or outside the caller's scope: the two look alike).</summary>
public sealed record BulkOutcome(Guid TicketId, string? Reference, BulkOutcomeKind Outcome, string? Field, string? Reason, long? Version);

public enum BulkOutcomeKind
{
    Changed,
    Unchanged,
    Refused,
    NotFound,
}

public sealed record BulkChangeResponse(IReadOnlyList<BulkOutcome> Results);

public static class BulkChange
{
    public static RouteGroupBuilder MapBulkChange(this RouteGroupBuilder group)
    {
        group.MapPost("/bulk", Handle).Validate<BulkChangeRequest>().RequireAuthorization(MspPolicies.Staff).WithName(nameof(BulkChange));
        return group;
    }

    /// <summary>Applies the change to each ticket in turn, each in its own transaction and by its own rules (the same as
    /// the single-ticket endpoints): a ticket that refuses is left exactly as it was and the others go on. The
    /// assignee must be staff and the queue active, for the whole request (400); whether the assignee serves each
    /// ticket's tenant is that ticket's rule. When not one of the tickets is within the caller's sight, the answer is
    /// 404, as for a single unknown or other tenant's ticket.</summary>
    public static async Task<Results<Ok<BulkChangeResponse>, NotFound, ValidationProblem>> Handle(
        BulkChangeRequest request, ClaimsPrincipal user, TicketsDb db, IOptions<TicketsOptions> options, TimeProvider clock, HttpContext http,
        CancellationToken ct)
    {
        var actor = Actor.From(user);
        KnownUser? assignee = null;
        if (request.AssigneeId is { } assigneeId)
        {
            assignee = await db.KnownUsers.AsNoTracking().FirstOrDefaultAsync(u => u.Id == assigneeId, ct);
            if (assignee is null || assignee.TenantId is not null)
            {
                return Problems.Invalid("assigneeId", "The assignee must be an active member of staff.");
            }
        }

        if (request.QueueId is { } queueId && !await db.Queues.AnyAsync(q => q.Id == queueId && q.IsActive, ct))
        {
            return Problems.Invalid("queueId", "Unknown or retired queue. GET /api/tickets/queues lists them.");
        }

        var results = new List<BulkOutcome>();
        foreach (var id in request.TicketIds!.Distinct())
        {
            db.ChangeTracker.Clear();
            results.Add(await ApplyAsync(db, id, request, assignee, actor, clock.GetUtcNow(), options.Value.ReopenWindow, http.TraceIdentifier, ct));
        }

        return results.All(r => r.Outcome == BulkOutcomeKind.NotFound) ? TypedResults.NotFound() : TypedResults.Ok(new BulkChangeResponse(results));
    }

    private static async Task<BulkOutcome> ApplyAsync(
        TicketsDb db, Guid id, BulkChangeRequest request, KnownUser? assignee, Actor actor, DateTimeOffset now, TimeSpan reopenWindow,
        string correlationId, CancellationToken ct)
    {
        var ticket = await db.FindVisibleAsync(id, actor, ct);
        if (ticket is null)
        {
            return new BulkOutcome(id, null, BulkOutcomeKind.NotFound, null, null, null);
        }

        BulkOutcome Refused(string field, string reason) => new(id, ticket.Reference, BulkOutcomeKind.Refused, field, reason, ticket.RowVersion);

        if (assignee is not null && !assignee.Serves(ticket.TenantId))
        {
            return Refused("assigneeId", "The assignee does not serve this ticket's tenant.");
        }

        try
        {
            if (request.AssigneeId is not null || request.QueueId is not null)
            {
                ticket.Assign(request.AssigneeId ?? ticket.AssigneeId, request.QueueId ?? ticket.QueueId, actor, now);
            }

            if (request.Status is { } status && status != ticket.Status)
            {
                ticket.ChangeStatus(status, request.Reason?.Trim(), actor, now, reopenWindow);
            }
        }
        catch (TicketRuleException e)
        {
            // The domain methods throw before they change anything, but an assignment may have gone through before the
            // status refused: nothing of this ticket is saved.
            db.ChangeTracker.Clear();
            return Refused(e.Field, e.Message);
        }

        if (!db.ChangeTracker.HasChanges())
        {
            return new BulkOutcome(id, ticket.Reference, BulkOutcomeKind.Unchanged, null, null, ticket.RowVersion);
        }

        try
        {
            await db.SaveTicketAsync(ticket, correlationId, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return Refused("ticket", "The ticket was changed by someone else at the same time; nothing of this change was saved.");
        }

        return new BulkOutcome(id, ticket.Reference, BulkOutcomeKind.Changed, null, null, ticket.RowVersion);
    }
}
