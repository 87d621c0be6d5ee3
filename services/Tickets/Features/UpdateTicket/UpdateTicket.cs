using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Validation;
using Msp.Tickets.Domain;
using Msp.Tickets.Persistence;

namespace Msp.Tickets.Features.UpdateTicket;

/// <summary>A partial change: what is absent stays. <c>priority</c> (staff only) overrides the matrix and needs a reason.</summary>
public sealed record UpdateTicketRequest(
    string? Subject, string? Description, string? Category, Level? Impact, Level? Urgency, Priority? Priority, string? PriorityReason);

public sealed class UpdateTicketValidator : AbstractValidator<UpdateTicketRequest>
{
    public UpdateTicketValidator()
    {
        RuleFor(r => r.Subject).Must(s => s is null || s.Trim().Length > 0).WithMessage("Subject cannot be empty.").MaximumLength(200);
        RuleFor(r => r.Description).MaximumLength(20_000);
        RuleFor(r => r.Category).MaximumLength(50);
        RuleFor(r => r.PriorityReason).MaximumLength(500);
    }
}

public static class UpdateTicket
{
    public static RouteGroupBuilder MapUpdateTicket(this RouteGroupBuilder group)
    {
        group.MapPatch("/{id:guid}", Handle).Validate<UpdateTicketRequest>().WithName(nameof(UpdateTicket));
        return group;
    }

    /// <summary>With <c>If-Match</c>, a stale version answers 412 and changes nothing.</summary>
    public static async Task<Results<Ok<TicketResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, UpdateTicketRequest request, ClaimsPrincipal user, TicketsDb db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var actor = Actor.From(user);
        var (ticket, refusal) = await TicketChange.FindAsync(db, id, actor, http, ct);
        if (ticket is null)
        {
            return refusal!;
        }

        // A retired category may stay on the ticket, but cannot be chosen anew; blank is no category at all.
        var category = request.Category?.Trim().ToLowerInvariant();
        if (category is { Length: 0 })
        {
            return Problems.Invalid("category", "A category cannot be blank; leave it out to keep the ticket's. GET /api/tickets/categories lists them.");
        }

        if (category is not null && category != ticket.Category && !await db.Categories.AnyAsync(c => c.Key == category && c.IsActive, ct))
        {
            return Problems.Invalid("category", $"Unknown or retired category '{request.Category}'. GET /api/tickets/categories lists them.");
        }

        ticket.Edit(
            new TicketEdit(request.Subject?.Trim(), request.Description, category, request.Impact, request.Urgency, request.Priority, request.PriorityReason),
            actor, clock.GetUtcNow());
        return await TicketChange.SaveAsync(db, ticket, actor, http, ct);
    }
}
