using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Validation;
using Msp.Tickets.Domain;
using Msp.Tickets.Features.UpdateTicket;
using Msp.Tickets.Persistence;

namespace Msp.Tickets.Features.ChangeStatus;

public sealed record ChangeStatusRequest(TicketStatus? Status, string? Reason);

public sealed class ChangeStatusValidator : AbstractValidator<ChangeStatusRequest>
{
    public ChangeStatusValidator()
    {
        RuleFor(r => r.Status).NotNull().WithMessage($"Status is required: one of {string.Join(", ", Enum.GetNames<TicketStatus>())}.");
        RuleFor(r => r.Reason).MaximumLength(1000);
    }
}

public static class ChangeStatus
{
    public static RouteGroupBuilder MapChangeStatus(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/status", Handle).Validate<ChangeStatusRequest>().WithName(nameof(ChangeStatus));
        return group;
    }

    /// <summary>Moves the ticket along its workflow; an illegal move answers 409 naming the moves that are allowed.</summary>
    public static async Task<Results<Ok<TicketResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, ChangeStatusRequest request, ClaimsPrincipal user, TicketsDb db, IOptions<TicketsOptions> options, TimeProvider clock,
        HttpContext http, CancellationToken ct)
    {
        var actor = Actor.From(user);
        var (ticket, refusal) = await TicketChange.FindAsync(db, id, actor, http, ct);
        if (ticket is null)
        {
            return refusal!;
        }

        ticket.ChangeStatus(request.Status!.Value, request.Reason?.Trim(), actor, clock.GetUtcNow(), options.Value.ReopenWindow);
        return await TicketChange.SaveAsync(db, ticket, actor, http, ct);
    }
}
