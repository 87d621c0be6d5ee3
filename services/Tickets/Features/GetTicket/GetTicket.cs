using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.Tickets.Domain;
using Msp.Tickets.Persistence;

namespace Msp.Tickets.Features.GetTicket;

public static class GetTicket
{
    public static RouteGroupBuilder MapGetTicket(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}", Handle).WithName(nameof(GetTicket));
        return group;
    }

    public static async Task<Results<Ok<TicketResponse>, NotFound>> Handle(Guid id, ClaimsPrincipal user, TicketsDb db, HttpContext http, CancellationToken ct)
    {
        var ticket = await db.VisibleTo(Actor.From(user)).Include(t => t.Sla).AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        if (ticket is null)
        {
            return TypedResults.NotFound();
        }

        var response = TicketResponse.From(ticket);
        http.Response.Headers.ETag = response.ETag;
        return TypedResults.Ok(response);
    }
}
