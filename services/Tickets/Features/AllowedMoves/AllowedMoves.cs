using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Msp.Tickets.Domain;
using Msp.Tickets.Persistence;

namespace Msp.Tickets.Features.AllowedMoves;

/// <summary>The statuses the caller may move a ticket to now; the screens offer only these.</summary>
public sealed record AllowedMovesResponse(IReadOnlyList<TicketStatus> AllowedStatuses);

public static class AllowedMoves
{
    public static RouteGroupBuilder MapAllowedMoves(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}/allowed-moves", Handle).WithName(nameof(AllowedMoves));
        return group;
    }

    /// <summary>The same list as the detail's <c>allowedStatuses</c>, for a page that only needs the buttons.</summary>
    public static async Task<Results<Ok<AllowedMovesResponse>, NotFound>> Handle(
        Guid id, ClaimsPrincipal user, TicketsDb db, IOptions<TicketsOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var actor = Actor.From(user);
        var ticket = await db.VisibleTo(actor).AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        return ticket is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(new AllowedMovesResponse(ticket.AllowedMoves(actor, clock.GetUtcNow(), options.Value.ReopenWindow)));
    }
}
