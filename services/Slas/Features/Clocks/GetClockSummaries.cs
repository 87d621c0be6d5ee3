using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Identity;
using Msp.Slas.Persistence;

namespace Msp.Slas.Features.Clocks;

/// <summary>Where one clock stands, without its ledger: what a queue row's time-left badge needs.</summary>
public sealed record ClockSummary(string Kind, string State, DateTimeOffset? DueAt, DateTimeOffset? StoppedAt, DateTimeOffset? WarnedAt);

public sealed record TicketClockSummary(Guid TicketId, IReadOnlyList<ClockSummary> Clocks);

/// <summary><c>GET /api/slas/tickets?ids=a,b,…</c>: the clocks of up to 100 tickets at once, for staff (a queue page
/// shows 25 badges; one call instead of 25). Tickets outside the caller's scope, or unknown, are simply absent; no ids
/// is an empty list; an id that is not a GUID, or more than 100, is 400 naming <c>ids</c>.</summary>
public static class GetClockSummaries
{
    public const int MaxTickets = 100;

    public static RouteGroupBuilder MapGetClockSummaries(this RouteGroupBuilder group)
    {
        group.MapGet("/tickets", Handle).RequireAuthorization(MspPolicies.Staff).WithName(nameof(GetClockSummaries));
        return group;
    }

    public static async Task<Results<Ok<List<TicketClockSummary>>, ValidationProblem>> Handle(SlasDb db, TimeProvider clock, CancellationToken ct, string? ids = null)
    {
        var parts = (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length > MaxTickets)
        {
            return Problems.Invalid("ids", $"At most {MaxTickets} ticket ids at once.");
        }

        var wanted = new List<Guid>(parts.Length);
        foreach (var part in parts)
        {
            if (!Guid.TryParse(part, out var id))
            {
                return Problems.Invalid("ids", "Ticket ids are GUIDs separated by commas.");
            }

            wanted.Add(id);
        }

        if (wanted.Count == 0)
        {
            return TypedResults.Ok(new List<TicketClockSummary>());
        }

        // The scope's query filter and row-level security keep other tenants' clocks out.
        var clocks = await db.Clocks.AsNoTracking().Where(c => wanted.Contains(c.TicketId)).OrderBy(c => c.TicketId).ThenBy(c => c.Kind).ToListAsync(ct);
        var now = clock.GetUtcNow();
        return TypedResults.Ok(clocks.GroupBy(c => c.TicketId).Select(g => new TicketClockSummary(g.Key, [.. g.Select(c =>
            new ClockSummary(c.Kind.ToString(), GetTicketClocks.StateOf(c, now), c.DueAt, c.StoppedAt, c.WarnedAt))])).ToList());
    }
}
