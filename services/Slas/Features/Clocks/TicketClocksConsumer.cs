using MassTransit;
using Microsoft.EntityFrameworkCore;
using Msp.Contracts.Tickets;
using Msp.Messaging;
using Msp.Data;
using Msp.KnownParties;
using Msp.ServiceDefaults.Identity;
using Msp.Slas.Domain;
using Msp.Slas.Persistence;

namespace Msp.Slas.Features.Clocks;

/// <summary>Keeps each ticket's clocks from its events. Every event is stored as a fact under the ticket's sequence and
/// the clocks are replayed from all the facts, so an event that arrives late or twice changes nothing a replay in order
/// would not. Events come in batches (<see cref="EventBatches"/>), applied in one transaction: each ticket of the batch
/// is locked, its new facts stored, and its clocks replayed once. Two batches sharing a ticket apply one after the
/// other.</summary>
public sealed class TicketClocksConsumer(SlasDb db, TenantScope scope, SweepSignal sweep, TimeProvider clock)
    : IConsumer<Batch<TicketCreated>>, IConsumer<Batch<TicketPriorityChanged>>, IConsumer<Batch<TicketStatusChanged>>, IConsumer<Batch<TicketRepliedByStaff>>
{
    public const string Name = "slas.ticket-clocks";

    public Task Consume(ConsumeContext<Batch<TicketCreated>> context) => RecordAsync(context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<Batch<TicketPriorityChanged>> context) => RecordAsync(context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<Batch<TicketStatusChanged>> context) => RecordAsync(context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<Batch<TicketRepliedByStaff>> context) => RecordAsync(context.Message, context.CancellationToken);

    private async Task RecordAsync<T>(Batch<T> batch, CancellationToken ct) where T : class, ITicketEvent
    {
        DateTimeOffset? nextFire = null;
        await db.ProcessOnceAsync<ITicketEvent>(scope, [.. batch.Select(m => m.Message)], Name, async (events, token) =>
        {
            nextFire = Earlier(nextFire, await ApplyAsync(events, token));
        }, ct);
        sweep.Due(nextFire); // committed: the sweep may now have something to publish sooner than it planned
    }

    /// <summary>Stores the events' facts, replays the clocks of their tickets, and answers the earliest instant the sweep
    /// must publish something for them.</summary>
    private async Task<DateTimeOffset?> ApplyAsync(IReadOnlyList<ITicketEvent> events, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var ticketIds = events.Select(e => e.TicketId).Distinct().ToArray();
        // Locked in one order (of the lock keys), so that two batches sharing tickets wait for each other, never deadlock.
        var keys = ticketIds.Select(id => id.ToString()).ToArray();
        await db.Database.ExecuteSqlAsync(
            $"SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended(t, 0) AS k FROM unnest({keys}) AS t ORDER BY 1) AS ordered", ct);
        var tickets = await db.Tickets.Where(t => ticketIds.Contains(t.TicketId)).ToDictionaryAsync(t => t.TicketId, ct);

        // Tickets heard of for the first time have no facts and no clocks yet: nothing to read (the usual creation).
        var known = tickets.Keys.ToArray();
        var facts = known.Length == 0 ? [] : (await db.Facts.Where(f => known.Contains(f.TicketId)).ToListAsync(ct))
            .GroupBy(f => f.TicketId).ToDictionary(g => g.Key, g => g.ToList());
        var clocks = known.Length == 0 ? [] : (await db.Clocks.Where(c => known.Contains(c.TicketId)).ToListAsync(ct))
            .GroupBy(c => c.TicketId).ToDictionary(g => g.Key, g => g.ToDictionary(c => c.Kind));

        var opening = events.OfType<TicketCreated>().Where(e => tickets.GetValueOrDefault(e.TicketId)?.Terms is null).Select(e => e.TenantId).Distinct().ToArray();
        var terms = await TermsForAsync(opening, ct);
        foreach (var e in events)
        {
            if (!tickets.TryGetValue(e.TicketId, out var ticket))
            {
                ticket = SlaTicket.Stub(e.TenantId, e.TicketId, now);
                db.Tickets.Add(ticket);
                tickets[e.TicketId] = ticket;
            }

            if (e is TicketCreated created && ticket.Terms is null)
            {
                ticket.Open(created.Reference, created.RequesterId, created.CreatedBy, created.OccurredAt, terms[e.TenantId], now);
            }

            var ticketFacts = facts.TryGetValue(e.TicketId, out var list) ? list : facts[e.TicketId] = [];
            if (ticketFacts.All(f => f.Sequence != e.Sequence))
            {
                var (kind, priority, status) = FactOf(e);
                var fact = TicketFact.Of(e.TenantId, e.TicketId, e.Sequence, kind, e.OccurredAt, priority, status);
                db.Facts.Add(fact);
                ticketFacts.Add(fact);
            }
        }

        var calendarIds = tickets.Values.Select(t => t.Terms).OfType<SlaTerms>()
            .SelectMany(t => t.Priorities.Values).Select(p => p.CalendarId).OfType<Guid>().Distinct().ToArray();
        var calendars = calendarIds.Length == 0 ? [] : await db.Calendars.AsNoTracking().Where(c => calendarIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var zones = await ClientZones.OfAsync(db, calendars.Values, tickets.Values.Select(t => t.TenantId), ct);
        DateTimeOffset? nextFire = null;
        foreach (var ticket in ticketIds.Select(id => tickets[id]))
        {
            if (ticket.Terms is { } ticketTerms)
            {
                var calendarOf = zones.Calendars(calendars, ticket.TenantId);
                nextFire = Earlier(nextFire, Replay(ticket, ticketTerms, facts[ticket.TicketId], clocks.GetValueOrDefault(ticket.TicketId) ?? [], calendarOf, now));
            }
        }

        return nextFire;
    }

    private static DateTimeOffset? Earlier(DateTimeOffset? a, DateTimeOffset? b) => a is null || (b is not null && b < a) ? b : a;

    private static (FactKind Kind, string? Priority, string? Status) FactOf(ITicketEvent e) => e switch
    {
        TicketCreated c => (FactKind.Created, c.Priority, c.Status),
        TicketPriorityChanged p => (FactKind.PriorityChanged, p.To, null),
        TicketStatusChanged s => (FactKind.StatusChanged, null, s.To),
        TicketRepliedByStaff => (FactKind.StaffReplied, null, null),
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "Not a ticket event the clocks follow."),
    };

    /// <summary>Replays one ticket's clocks and answers the earliest instant the sweep must publish something for them.</summary>
    private DateTimeOffset? Replay(
        SlaTicket ticket, SlaTerms terms, List<TicketFact> facts, Dictionary<ClockKind, SlaClock> stored, Func<Guid?, BusinessCalendar> calendarOf, DateTimeOffset now)
    {
        var runs = ClockRun.Replay(terms, calendarOf, facts);
        foreach (var run in runs)
        {
            if (!stored.TryGetValue(run.Kind, out var slaClock))
            {
                slaClock = SlaClock.For(ticket.TenantId, ticket.TicketId, run.Kind);
                db.Clocks.Add(slaClock);
                stored[run.Kind] = slaClock;
            }

            if (slaClock.Take(run, terms, ticket.Reference, now) is { } met)
            {
                db.PublishOnSave(met);
            }
        }

        DateTimeOffset? RunningDue(ClockKind kind) =>
            stored.TryGetValue(kind, out var c) && c.State == ClockState.Running ? c.DueAt : null;

        if (ticket.Announce(RunningDue(ClockKind.FirstResponse), RunningDue(ClockKind.Resolution), now) is { } changed)
        {
            db.PublishOnSave(changed);
        }

        return stored.Values.Select(c => c.NextFireAt).Min();
    }

    /// <summary>Each tenant's policy (or the default one), in the tenant's calendar where it has its own.</summary>
    private async Task<Dictionary<Guid, SlaTerms>> TermsForAsync(Guid[] tenantIds, CancellationToken ct)
    {
        if (tenantIds.Length == 0)
        {
            return [];
        }

        var settings = await db.TenantSettings.Where(s => tenantIds.Contains(s.TenantId)).ToDictionaryAsync(s => s.TenantId, ct);
        var policyIds = settings.Values.Select(s => s.PolicyId).OfType<Guid>().Distinct().ToArray();
        var orDefault = tenantIds.Any(t => settings.GetValueOrDefault(t)?.PolicyId is null);
        var policies = await db.Policies.Where(p => policyIds.Contains(p.Id) || (orDefault && p.IsDefault)).ToListAsync(ct);
        return tenantIds.ToDictionary(t => t, t =>
        {
            var setting = settings.GetValueOrDefault(t);
            var policy = setting?.PolicyId is { } policyId ? policies.First(p => p.Id == policyId) : policies.First(p => p.IsDefault);
            return policy.TermsFor(setting?.CalendarId);
        });
    }
}
