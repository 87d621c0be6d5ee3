using MassTransit;
using Microsoft.EntityFrameworkCore;
using Msp.Contracts.Tickets;
using Msp.ServiceDefaults.Messaging;
using Msp.Slas.Domain;
using Msp.Slas.Persistence;

namespace Msp.Slas.Features.Clocks;

/// <summary>Keeps each ticket's clocks from its events. Every event is stored as a fact under the ticket's sequence and
/// the clocks are replayed from all the facts, so an event that arrives late or twice changes nothing a replay in order
/// would not. The ticket is locked for the replay, so two events of one ticket are applied one after the other.</summary>
public sealed class TicketClocksConsumer(SlasDb db, SweepSignal sweep, TimeProvider clock)
    : IConsumer<TicketCreated>, IConsumer<TicketPriorityChanged>, IConsumer<TicketStatusChanged>, IConsumer<TicketRepliedByStaff>
{
    public const string Name = "slas.ticket-clocks";

    public Task Consume(ConsumeContext<TicketCreated> context) =>
        Record(context.Message, FactKind.Created, context.Message.Priority, context.Message.Status, context.CancellationToken);

    public Task Consume(ConsumeContext<TicketPriorityChanged> context) =>
        Record(context.Message, FactKind.PriorityChanged, context.Message.To, null, context.CancellationToken);

    public Task Consume(ConsumeContext<TicketStatusChanged> context) =>
        Record(context.Message, FactKind.StatusChanged, null, context.Message.To, context.CancellationToken);

    public Task Consume(ConsumeContext<TicketRepliedByStaff> context) =>
        Record(context.Message, FactKind.StaffReplied, null, null, context.CancellationToken);

    private async Task Record(ITicketEvent e, FactKind kind, string? priority, string? status, CancellationToken ct)
    {
        DateTimeOffset? nextFire = null;
        await db.ProcessOnceAsync(e, Name, async token =>
        {
            var now = clock.GetUtcNow();
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({e.TicketId.ToString()}, 0))", token);
            var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.TicketId == e.TicketId, token);
            var known = ticket is not null;
            if (ticket is null)
            {
                ticket = SlaTicket.Stub(e.TenantId, e.TicketId, now);
                db.Tickets.Add(ticket);
            }

            if (e is TicketCreated created && ticket.Terms is null)
            {
                ticket.Open(created.Reference, created.RequesterId, created.OccurredAt, await TermsForAsync(e.TenantId, token), now);
            }

            // A ticket heard of for the first time has no facts and no clocks yet: nothing to read (the usual creation).
            var facts = known ? await db.Facts.Where(f => f.TicketId == e.TicketId).ToListAsync(token) : [];
            if (facts.All(f => f.Sequence != e.Sequence))
            {
                var fact = TicketFact.Of(e.TenantId, e.TicketId, e.Sequence, kind, e.OccurredAt, priority, status);
                db.Facts.Add(fact);
                facts.Add(fact);
            }

            if (ticket.Terms is { } terms)
            {
                nextFire = await ReplayAsync(ticket, terms, facts, known, now, token);
            }
        }, ct);
        sweep.Due(nextFire); // committed: the sweep may now have something to publish sooner than it planned
    }

    /// <summary>Replays the clocks and answers the earliest instant the sweep must publish something for them.</summary>
    private async Task<DateTimeOffset?> ReplayAsync(SlaTicket ticket, SlaTerms terms, List<TicketFact> facts, bool known, DateTimeOffset now, CancellationToken ct)
    {
        var calendarIds = terms.Priorities.Values.Select(p => p.CalendarId).OfType<Guid>().Distinct().ToList();
        var calendars = (await db.Calendars.Where(c => calendarIds.Contains(c.Id)).ToListAsync(ct))
            .ToDictionary(c => c.Id, c => c.ToBusinessCalendar());
        var runs = ClockRun.Replay(terms, id => id is { } known ? calendars[known] : BusinessCalendar.AroundTheClock, facts);
        var stored = known ? await db.Clocks.Where(c => c.TicketId == ticket.TicketId).ToDictionaryAsync(c => c.Kind, ct) : [];
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

    /// <summary>The tenant's policy (or the default one), in the tenant's calendar where it has its own.</summary>
    private async Task<SlaTerms> TermsForAsync(Guid tenantId, CancellationToken ct)
    {
        var setting = await db.TenantSettings.FirstOrDefaultAsync(s => s.TenantId == tenantId, ct);
        var policy = setting?.PolicyId is { } policyId
            ? await db.Policies.FirstAsync(p => p.Id == policyId, ct)
            : await db.Policies.FirstAsync(p => p.IsDefault, ct);
        return policy.TermsFor(setting?.CalendarId);
    }
}
