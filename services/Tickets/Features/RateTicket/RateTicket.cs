using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Msp.ServiceDefaults.Validation;
using Msp.Tickets.Domain;
using Msp.Tickets.Persistence;

namespace Msp.Tickets.Features.RateTicket;

public sealed record RatingRequest(short? Score, string? Comment);

public sealed class RatingValidator : AbstractValidator<RatingRequest>
{
    public RatingValidator()
    {
        RuleFor(r => r.Score).NotNull().WithMessage("Score is required.").InclusiveBetween((short)1, (short)5).WithMessage("Score is 1 to 5.");
        RuleFor(r => r.Comment).MaximumLength(2000);
    }
}

public static class RateTicket
{
    public static RouteGroupBuilder MapRateTicket(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/rating", Handle).Validate<RatingRequest>().WithName(nameof(RateTicket));
        return group;
    }

    /// <summary>The client's satisfaction with a resolved ticket.</summary>
    public static async Task<Results<Ok<TicketResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, RatingRequest request, ClaimsPrincipal user, TicketsDb db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var actor = Actor.From(user);
        var (ticket, refusal) = await TicketChange.FindAsync(db, id, actor, http, ct);
        if (ticket is null)
        {
            return refusal!;
        }

        ticket.Rate(request.Score!.Value, string.IsNullOrWhiteSpace(request.Comment) ? null : request.Comment.Trim(), actor, clock.GetUtcNow());
        return await TicketChange.SaveAsync(db, ticket, actor, http, ct);
    }
}
