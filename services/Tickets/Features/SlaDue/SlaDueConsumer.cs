using MassTransit;
using Microsoft.EntityFrameworkCore;
using Msp.Contracts.Slas;
using Msp.ServiceDefaults.Messaging;
using Msp.Tickets.Domain;
using Msp.Tickets.Persistence;

namespace Msp.Tickets.Features.SlaDue;

/// <summary>Keeps the due instant the Slas service announces for each ticket, for the lists sorted by time left.</summary>
public sealed class SlaDueConsumer(TicketsDb db, TimeProvider clock) : IConsumer<SlaClockChanged>
{
    public Task Consume(ConsumeContext<SlaClockChanged> context) =>
        db.ProcessOnceAsync(context.Message, "tickets.sla-due", async ct =>
        {
            var m = context.Message;
            if (!await db.Tickets.AnyAsync(t => t.Id == m.TicketId, ct))
            {
                return; // a ticket this service does not have: nothing to sort
            }

            var due = await db.SlaDue.FirstOrDefaultAsync(s => s.TicketId == m.TicketId, ct);
            if (due is null)
            {
                due = TicketSlaDue.For(m.TenantId, m.TicketId);
                db.SlaDue.Add(due);
            }

            due.Take(m.Revision, m.DueAt, clock.GetUtcNow());
        }, context.CancellationToken);
}
