using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Msp.Data;
using Msp.ServiceDefaults.Identity;
using Msp.Tickets.Domain;
using Msp.Tickets.Persistence;

namespace Msp.Tickets.Features.Timers;

/// <summary>A timer as its technician sees it: whether it runs, since when, the seconds counted so far and the whole
/// minutes a time entry would record for them.</summary>
public sealed record TimerResponse(Guid TicketId, bool Running, DateTimeOffset StartedAt, DateTimeOffset? RunningSince, long ElapsedSeconds, int Minutes)
{
    public static TimerResponse From(TicketTimer timer, DateTimeOffset now)
    {
        var elapsed = timer.ElapsedAt(now);
        return new(timer.TicketId, timer.IsRunning, timer.StartedAt, timer.RunningSince, (long)elapsed.TotalSeconds, TicketTimer.MinutesFor(elapsed));
    }
}

/// <summary>The signed-in member of staff's own timer on a ticket (<see cref="TicketTimer"/>): start, pause, resume,
/// read, and stop, which answers the minutes to record and removes the timer; the time entry is then logged as any
/// other (<c>POST /{id}/time-entries</c>), so what is recorded stays the technician's choice. A second start while a
/// timer exists is 409 naming <c>timer</c>; a ticket outside the caller's sight, or no timer, is 404. Also the work
/// types a time entry may name.</summary>
public static class Timers
{
    public static RouteGroupBuilder MapTimers(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}/timer", Read).RequireAuthorization(MspPolicies.Staff).WithName("ReadTimer");
        group.MapPost("/{id:guid}/timer", Start).RequireAuthorization(MspPolicies.Staff).WithName("StartTimer");
        group.MapPost("/{id:guid}/timer/pause", Pause).RequireAuthorization(MspPolicies.Staff).WithName("PauseTimer");
        group.MapPost("/{id:guid}/timer/resume", Resume).RequireAuthorization(MspPolicies.Staff).WithName("ResumeTimer");
        group.MapDelete("/{id:guid}/timer", Stop).RequireAuthorization(MspPolicies.Staff).WithName("StopTimer");
        group.MapGet("/work-types", WorkTypes).RequireAuthorization(MspPolicies.Staff).WithName("ListWorkTypes");
        return group;
    }

    public static async Task<Results<Ok<TimerResponse>, NotFound>> Read(Guid id, ClaimsPrincipal user, TicketsDb db, TimeProvider clock, CancellationToken ct)
    {
        var actor = Actor.From(user);
        var timer = await db.Timers.AsNoTracking().FirstOrDefaultAsync(t => t.TicketId == id && t.TechnicianId == actor.Id, ct);
        return timer is null ? TypedResults.NotFound() : TypedResults.Ok(TimerResponse.From(timer, clock.GetUtcNow()));
    }

    public static async Task<Results<Created<TimerResponse>, NotFound, ProblemHttpResult>> Start(
        Guid id, ClaimsPrincipal user, TicketsDb db, TimeProvider clock, CancellationToken ct)
    {
        var actor = Actor.From(user);
        var ticket = await db.FindVisibleAsync(id, actor, ct);
        if (ticket is null)
        {
            return TypedResults.NotFound();
        }

        if (await db.Timers.AnyAsync(t => t.TicketId == id && t.TechnicianId == actor.Id, ct))
        {
            return AlreadyStarted();
        }

        var now = clock.GetUtcNow();
        var timer = TicketTimer.Start(ticket, actor, now);
        db.Timers.Add(timer);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation("ticket_timers_pkey"))
        {
            return AlreadyStarted(); // the same start, from another tab at the same moment
        }

        return TypedResults.Created($"/api/tickets/{id}/timer", TimerResponse.From(timer, now));
    }

    public static Task<Results<Ok<TimerResponse>, NotFound>> Pause(Guid id, ClaimsPrincipal user, TicketsDb db, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync(id, user, db, clock, (timer, now) => timer.Pause(now), ct);

    public static Task<Results<Ok<TimerResponse>, NotFound>> Resume(Guid id, ClaimsPrincipal user, TicketsDb db, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync(id, user, db, clock, (timer, now) => timer.Resume(now), ct);

    /// <summary>Stops the timer: answers what it counted and removes it.</summary>
    public static async Task<Results<Ok<TimerResponse>, NotFound>> Stop(Guid id, ClaimsPrincipal user, TicketsDb db, TimeProvider clock, CancellationToken ct)
    {
        var actor = Actor.From(user);
        var timer = await db.Timers.FirstOrDefaultAsync(t => t.TicketId == id && t.TechnicianId == actor.Id, ct);
        if (timer is null)
        {
            return TypedResults.NotFound();
        }

        var now = clock.GetUtcNow();
        timer.Pause(now);
        db.Timers.Remove(timer);
        await db.SaveChangesAsync(ct); // a concurrent stop or pause fails its row version: 409
        return TypedResults.Ok(TimerResponse.From(timer, now));
    }

    public static Ok<string[]> WorkTypes(IOptions<TicketsOptions> options) => TypedResults.Ok(options.Value.WorkTypes);

    private static async Task<Results<Ok<TimerResponse>, NotFound>> ChangeAsync(
        Guid id, ClaimsPrincipal user, TicketsDb db, TimeProvider clock, Action<TicketTimer, DateTimeOffset> change, CancellationToken ct)
    {
        var actor = Actor.From(user);
        var timer = await db.Timers.FirstOrDefaultAsync(t => t.TicketId == id && t.TechnicianId == actor.Id, ct);
        if (timer is null)
        {
            return TypedResults.NotFound();
        }

        var now = clock.GetUtcNow();
        change(timer, now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(TimerResponse.From(timer, now));
    }

    private static ProblemHttpResult AlreadyStarted() => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: "Your timer on this ticket is already started; pause, resume or stop it.",
        extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["timer"] = ["Your timer on this ticket is already started."] } });
}
