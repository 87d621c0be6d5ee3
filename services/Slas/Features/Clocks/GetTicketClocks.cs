using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Identity;
using Msp.Data;
using Msp.Slas.Domain;
using Msp.Slas.Persistence;
using NodaTime;

namespace Msp.Slas.Features.Clocks;

public sealed record ClockResponse(
    string Kind,
    string State,
    bool Counting,
    string Priority,
    int TargetMinutes,
    double ElapsedMinutes,
    double RemainingMinutes,
    DateTimeOffset StartedAt,
    DateTimeOffset? DueAt,
    DateTimeOffset? StoppedAt,
    DateTimeOffset? WarnedAt,
    DateTimeOffset? BreachedAt,
    IReadOnlyList<LedgerEntry> Ledger);

public sealed record TicketClocksResponse(Guid TicketId, string? Reference, Guid PolicyId, string PolicyName, DateTimeOffset AsOf, IReadOnlyList<ClockResponse> Clocks);

/// <summary>A clock as a client sees it: where it stands and when it falls due, without targets, elapsed business
/// time, ledger or policy (the provider's internal details).</summary>
public sealed record ClientClockResponse(string Kind, string State, DateTimeOffset? DueAt, DateTimeOffset? StoppedAt);

public sealed record ClientTicketClocksResponse(Guid TicketId, string? Reference, DateTimeOffset AsOf, IReadOnlyList<ClientClockResponse> Clocks);

/// <summary>A ticket's clocks as of now: for staff each with the ledger that explains how it got there, for client
/// roles only where each stands and when it falls due.</summary>
public static class GetTicketClocks
{
    public static RouteGroupBuilder MapGetTicketClocks(this RouteGroupBuilder group)
    {
        group.MapGet("/tickets/{ticketId:guid}", Handle).WithName(nameof(GetTicketClocks))
            .WithDescription("Staff get every clock with its target, elapsed time and ledger. Client roles get a subset of the same "
                + "fields: ticketId, reference, asOf and, per clock, kind, state, dueAt and stoppedAt.");
        return group;
    }

    /// <summary>Staff read any ticket in their scope; a ClientAdmin any ticket of their tenant, a ClientUser those they
    /// requested or opened (anything else is not found), both in the client shape.</summary>
    /// <remarks>OpenAPI keeps one schema per status, the last declared: the staff shape, of which the client's is a
    /// subset (said in the description).</remarks>
    public static async Task<Results<Ok<ClientTicketClocksResponse>, Ok<TicketClocksResponse>, NotFound>> Handle(
        Guid ticketId, ClaimsPrincipal user, SlasDb db, TimeProvider clock, CancellationToken ct)
    {
        var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.TicketId == ticketId, ct);
        if (ticket?.Terms is not { } terms)
        {
            return TypedResults.NotFound();
        }

        var client = user.IsInRole(MspRoles.ClientUser) || user.IsInRole(MspRoles.ClientAdmin);
        var userId = Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var parsed) ? parsed : Guid.Empty;
        if (client && !ticket.IsVisibleToClient(userId, seesWholeTenant: user.IsInRole(MspRoles.ClientAdmin)))
        {
            return TypedResults.NotFound();
        }

        var clocks = await db.Clocks.AsNoTracking().Where(c => c.TicketId == ticketId).OrderBy(c => c.Kind).ToListAsync(ct);
        var calendarIds = clocks.Select(c => c.CalendarId).OfType<Guid>().Distinct().ToList();
        var stored = await db.Calendars.AsNoTracking().Where(c => calendarIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var calendarOf = (await ClientZones.OfAsync(db, stored.Values, [ticket.TenantId], ct)).Calendars(stored, ticket.TenantId);
        var now = clock.GetUtcNow();
        if (client)
        {
            return TypedResults.Ok(new ClientTicketClocksResponse(ticket.TicketId, ticket.Reference, now, [.. clocks.Select(c =>
                new ClientClockResponse(c.Kind.ToString(), StateOf(c, now), c.DueAt, c.StoppedAt))]));
        }

        return TypedResults.Ok(new TicketClocksResponse(ticket.TicketId, ticket.Reference, terms.PolicyId, terms.PolicyName, now, [.. clocks.Select(c =>
        {
            var elapsed = c.ElapsedAt(now, calendarOf(c.CalendarId));
            var remaining = Duration.FromMinutes(c.TargetMinutes) - elapsed;
            return new ClockResponse(c.Kind.ToString(), StateOf(c, now), c.State == ClockState.Running, c.Priority, c.TargetMinutes,
                ClockRun.Minutes(elapsed), ClockRun.Minutes(remaining > Duration.Zero ? remaining : Duration.Zero),
                c.StartedAt, c.DueAt, c.StoppedAt, c.WarnedAt, c.BreachedAt, [.. c.LedgerWithNotifications()]);
        })]));
    }

    /// <summary>Running, Paused or Stopped, unless the clock breached (its deadline passed while counting) or was met.</summary>
    public static string StateOf(SlaClock c, DateTimeOffset now) => c.BreachAt <= now ? "Breached" : c.Met ? "Met" : c.State.ToString();
}
