using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Identity;
using Msp.KnownParties;
using Msp.Tickets.Domain;
using Msp.Tickets.Persistence;

namespace Msp.Tickets.Features.AssignTicket;

/// <summary>Who works the ticket and in which queue; null unassigns.</summary>
public sealed record AssignRequest(Guid? AssigneeId, Guid? QueueId);

public static class AssignTicket
{
    public static RouteGroupBuilder MapAssignTicket(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/assign", Handle).RequireAuthorization(MspPolicies.Staff).WithName(nameof(AssignTicket));
        return group;
    }

    /// <summary>The assignee must be staff who serve the ticket's tenant (a technician assigned to it, or to all
    /// tenants, an operator or an admin); the queue must exist and not be retired.</summary>
    public static async Task<Results<Ok<TicketResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, AssignRequest request, ClaimsPrincipal user, TicketsDb db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var actor = Actor.From(user);
        var (ticket, refusal) = await TicketChange.FindAsync(db, id, actor, http, ct);
        if (ticket is null)
        {
            return refusal!;
        }

        if (request.AssigneeId is { } assigneeId)
        {
            var assignee = await db.KnownUsers.AsNoTracking().FirstOrDefaultAsync(u => u.Id == assigneeId, ct);
            if (assignee is null || !assignee.Serves(ticket.TenantId))
            {
                return Problems.Invalid("assigneeId", "The assignee must be an active member of staff who serves this ticket's tenant.");
            }
        }

        // A retired queue may keep the tickets it has, but takes no new one.
        if (request.QueueId is { } queueId && queueId != ticket.QueueId && !await db.Queues.AnyAsync(q => q.Id == queueId && q.IsActive, ct))
        {
            return Problems.Invalid("queueId", "Unknown or retired queue. GET /api/tickets/queues lists them.");
        }

        ticket.Assign(request.AssigneeId, request.QueueId, actor, clock.GetUtcNow());
        return await TicketChange.SaveAsync(db, ticket, actor, http, ct);
    }
}
