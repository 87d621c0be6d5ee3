using MassTransit;
using Microsoft.EntityFrameworkCore;
using Msp.Contracts.Slas;
using Msp.ServiceDefaults.Messaging;
using Msp.Tickets.Persistence;

namespace Msp.Tickets.Features.SlaDue;

/// <summary>Keeps the due instant the Slas service announces for each ticket, for the lists sorted by time left.</summary>
public sealed class SlaDueConsumer(TicketsDb db, TimeProvider clock) : IConsumer<SlaClockChanged>
{
    public Task Consume(ConsumeContext<SlaClockChanged> context) =>
        db.ProcessOnceAsync(context.Message, "tickets.sla-due", async ct =>
        {
            var m = context.Message;
            // One statement: a ticket this service does not have gets nothing; an older revision changes nothing.
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO ticket_sla_due (ticket_id, tenant_id, revision, due_at, updated_at)
                SELECT {m.TicketId}, {m.TenantId}, {m.Revision}, {m.DueAt}::timestamptz, {clock.GetUtcNow()}
                WHERE EXISTS (SELECT 1 FROM tickets WHERE id = {m.TicketId})
                ON CONFLICT (ticket_id) DO UPDATE SET revision = excluded.revision, due_at = excluded.due_at, updated_at = excluded.updated_at
                WHERE ticket_sla_due.revision < excluded.revision
                """, ct);
        }, context.CancellationToken);
}
