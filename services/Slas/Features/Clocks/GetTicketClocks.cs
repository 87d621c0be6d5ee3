using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Identity;
using Msp.KnownParties;
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

/// <summary>A ticket's clocks as of now, each with the ledger that explains how it got there.</summary>
public static class GetTicketClocks
{
    public static RouteGroupBuilder MapGetTicketClocks(this RouteGroupBuilder group)
    {
        group.MapGet("/tickets/{ticketId:guid}", Handle).RequireAuthorization(MspPolicies.Overseers).WithName(nameof(GetTicketClocks));
        return group;
    }

    public static async Task<Results<Ok<TicketClocksResponse>, NotFound>> Handle(Guid ticketId, SlasDb db, TimeProvider clock, CancellationToken ct)
    {
        var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.TicketId == ticketId, ct);
        if (ticket?.Terms is not { } terms)
        {
            return TypedResults.NotFound();
        }

        var clocks = await db.Clocks.AsNoTracking().Where(c => c.TicketId == ticketId).OrderBy(c => c.Kind).ToListAsync(ct);
        var calendarIds = clocks.Select(c => c.CalendarId).OfType<Guid>().Distinct().ToList();
        var calendars = (await db.Calendars.AsNoTracking().Where(c => calendarIds.Contains(c.Id)).ToListAsync(ct))
            .ToDictionary(c => c.Id, c => c.ToBusinessCalendar());
        var now = clock.GetUtcNow();
        return TypedResults.Ok(new TicketClocksResponse(ticket.TicketId, ticket.Reference, terms.PolicyId, terms.PolicyName, now, [.. clocks.Select(c =>
        {
            var elapsed = c.ElapsedAt(now, c.CalendarId is { } id ? calendars[id] : BusinessCalendar.AroundTheClock);
            var remaining = Duration.FromMinutes(c.TargetMinutes) - elapsed;
            var breached = c.BreachAt <= now;
            var state = breached ? "Breached" : c.Met ? "Met" : c.State.ToString();
            return new ClockResponse(c.Kind.ToString(), state, c.State == ClockState.Running, c.Priority, c.TargetMinutes,
                ClockRun.Minutes(elapsed), ClockRun.Minutes(remaining > Duration.Zero ? remaining : Duration.Zero),
                c.StartedAt, c.DueAt, c.StoppedAt, c.WarnedAt, c.BreachedAt, [.. c.LedgerWithNotifications()]);
        })]));
    }
}
