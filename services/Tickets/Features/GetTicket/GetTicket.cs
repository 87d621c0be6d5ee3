using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
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

    /// <summary>The ticket with the names of its requester and assignee, the time spent on it (ClientAdmin and staff)
    /// and the statuses the caller may move it to.</summary>
    public static async Task<Results<Ok<TicketResponse>, NotFound>> Handle(
        Guid id, ClaimsPrincipal user, TicketsDb db, IOptions<TicketsOptions> options, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var actor = Actor.From(user);
        var ticket = await db.VisibleTo(actor).Include(t => t.Sla).AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        if (ticket is null)
        {
            return TypedResults.NotFound();
        }

        var response = await TicketDetail.DescribeAsync(db, ticket, actor, options.Value, clock.GetUtcNow(), ct);
        http.Response.Headers.ETag = response.ETag;
        return TypedResults.Ok(response);
    }
}
