using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.Data;
using Msp.Tickets.Domain;
using Msp.Tickets.Persistence;

namespace Msp.Tickets.Features.History;

public sealed record HistoryResponse(Guid Id, int Position, Guid ActorId, string Action, string? Field, string? OldValue, string? NewValue, string? Detail, DateTimeOffset At);

public static class History
{
    public static RouteGroupBuilder MapHistory(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}/history", Handle).WithName("TicketHistory");
        return group;
    }

    /// <summary>Every change of the ticket, oldest first: who, what, the old and new value, when. Client roles do not
    /// see the entries about internal notes and time records.</summary>
    public static async Task<Results<Ok<Page<HistoryResponse>>, NotFound, ValidationProblem>> Handle(
        Guid id, ClaimsPrincipal user, TicketsDb db, CancellationToken ct, int? limit = null, string? cursor = null)
    {
        if (!Paging.TryRead<int?>(limit, cursor, out var take, out var after, out var problem))
        {
            return problem!;
        }

        var actor = Actor.From(user);
        if (!await db.VisibleTo(actor).AnyAsync(t => t.Id == id, ct))
        {
            return TypedResults.NotFound();
        }

        var query = db.History.AsNoTracking().Where(h => h.TicketId == id);
        if (actor.IsClient)
        {
            query = query.Where(h => !h.Internal);
        }

        if (after is { } last)
        {
            query = query.Where(h => h.Position > last);
        }

        var rows = await query.OrderBy(h => h.Position).Take(take + 1)
            .Select(h => new HistoryResponse(h.Id, h.Position, h.ActorId, h.Action, h.Field, h.OldValue, h.NewValue, h.Detail, h.At)).ToListAsync(ct);
        return TypedResults.Ok(rows.ToPage(take, h => (int?)h.Position));
    }
}
