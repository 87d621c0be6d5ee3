using MassTransit;
using Microsoft.EntityFrameworkCore;
using Msp.Contracts.Slas;
using Msp.Messaging;
using Msp.Data;
using Msp.KnownParties;
using Msp.ServiceDefaults.Identity;
using Msp.Tickets.Persistence;

namespace Msp.Tickets.Features.SlaDue;

/// <summary>Keeps the due instant the Slas service announces for each ticket, for the lists sorted by time left. The
/// announcements come in batches (one per ticket created, under load hundreds a second): one transaction and one
/// statement for the whole batch.</summary>
public sealed class SlaDueConsumer(TicketsDb db, TenantScope scope, TimeProvider clock) : IConsumer<Batch<SlaClockChanged>>
{
    public const string Name = "tickets.sla-due";

    public Task Consume(ConsumeContext<Batch<SlaClockChanged>> context) =>
        db.ProcessOnceAsync(scope, [.. context.Message.Select(m => m.Message)], Name, async (fresh, ct) =>
        {
            // The newest announcement of each ticket in the batch; one of a ticket this service does not have gets
            // nothing, and one older than what is stored changes nothing.
            var newest = fresh.GroupBy(m => m.TicketId).Select(g => g.MaxBy(m => m.Revision)!).ToList();
            var tickets = newest.Select(m => m.TicketId).ToArray();
            var tenants = newest.Select(m => m.TenantId).ToArray();
            var revisions = newest.Select(m => m.Revision).ToArray();
            var dues = newest.Select(m => m.DueAt?.UtcDateTime).ToArray();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO ticket_sla_due (ticket_id, tenant_id, revision, due_at, updated_at)
                SELECT a.ticket_id, a.tenant_id, a.revision, a.due_at, {clock.GetUtcNow()}
                FROM unnest({tickets}, {tenants}, {revisions}, {dues}::timestamptz[]) AS a (ticket_id, tenant_id, revision, due_at)
                WHERE EXISTS (SELECT 1 FROM tickets WHERE id = a.ticket_id)
                ON CONFLICT (ticket_id) DO UPDATE SET revision = excluded.revision, due_at = excluded.due_at, updated_at = excluded.updated_at
                WHERE ticket_sla_due.revision < excluded.revision
                """, ct);
        }, context.CancellationToken);
}
