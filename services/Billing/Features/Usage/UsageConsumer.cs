using MassTransit;
using Microsoft.EntityFrameworkCore;
using Msp.Billing.Domain;
using Msp.Billing.Features.Invoices;
using Msp.Billing.Persistence;
using Msp.Contracts;
using Msp.Contracts.Slas;
using Msp.Contracts.Tickets;
using Msp.Messaging;

namespace Msp.Billing.Features.Usage;

/// <summary>Keeps the billable usage from the time-entry events and the SLA breaches from Slas, each exactly once
/// (inbox) and newest version first (an older version arriving late changes nothing); warns when a tenant's prepaid
/// hours run low.</summary>
public sealed class UsageConsumer(BillingDb db, TimeProvider clock)
    : IConsumer<TimeEntryLogged>, IConsumer<TimeEntryChanged>, IConsumer<SlaBreached>
{
    public Task Consume(ConsumeContext<TimeEntryLogged> context) =>
        db.ProcessOnceAsync(context.Message, "billing.usage", async ct =>
        {
            var e = context.Message;
            if ((await FindAsync(e, ct)).Take(e, clock.GetUtcNow()))
            {
                await WarnOfBlockHoursAsync(e.TenantId, ct);
            }
        }, context.CancellationToken);

    public Task Consume(ConsumeContext<TimeEntryChanged> context) =>
        db.ProcessOnceAsync(context.Message, "billing.usage", async ct =>
        {
            var e = context.Message;
            if ((await FindAsync(e, ct)).Take(e, clock.GetUtcNow()))
            {
                await WarnOfBlockHoursAsync(e.TenantId, ct);
            }
        }, context.CancellationToken);

    public Task Consume(ConsumeContext<SlaBreached> context) =>
        db.ProcessOnceAsync(context.Message, "billing.sla-breaches", async ct =>
        {
            var e = context.Message;
            if (!await db.SlaBreaches.AnyAsync(b => b.TicketId == e.TicketId && b.Clock == e.Clock, ct))
            {
                db.SlaBreaches.Add(new SlaBreachRecord(e.TicketId, e.Clock, e.TenantId, e.TicketReference, e.Priority, e.DueAt, clock.GetUtcNow()));
            }
        }, context.CancellationToken);

    /// <summary>Saves the entry, then checks the tenant's prepaid hours under its billing lock, so that two entries
    /// arriving together cannot both miss a threshold.</summary>
    private async Task WarnOfBlockHoursAsync(Guid tenantId, CancellationToken ct)
    {
        await InvoiceRunner.LockTenantAsync(db, tenantId, ct);
        await db.SaveChangesAsync(ct);
        await BlockHours.BlockHours.WarnAsync(db, tenantId, clock.GetUtcNow(), ct);
    }

    private async Task<UsageEntry> FindAsync(IIntegrationEvent e, CancellationToken ct)
    {
        var id = e is TimeEntryLogged logged ? logged.TimeEntryId : ((TimeEntryChanged)e).TimeEntryId;
        var entry = await db.Usage.FirstOrDefaultAsync(u => u.TimeEntryId == id, ct);
        if (entry is null)
        {
            entry = UsageEntry.New(id, e.TenantId, e.OccurredAt, clock.GetUtcNow());
            db.Usage.Add(entry);
        }

        return entry;
    }
}
