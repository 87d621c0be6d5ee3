using MassTransit;
using Microsoft.EntityFrameworkCore;
using Msp.Contracts.Slas;
using Msp.Contracts.Tickets;
using Msp.Mail.Domain;
using Msp.Mail.Persistence;
using Msp.Messaging;

namespace Msp.Mail.Outbound;

/// <summary>Mail about tickets: the acknowledgement to the requester (with the SLA's answer-by time), staff's public
/// replies to the requester, a client's reply to the assignee (or the staff who serve the tenant), the assignment to the
/// technician, SLA warnings and breaches to the assignee (or those staff), the resolution with a rating link. Internal
/// notes raise no event at all, so no mail can carry one.</summary>
public sealed class TicketMailConsumer(MailDb db, Recipients recipients, TimeProvider clock)
    : IConsumer<TicketCreated>, IConsumer<TicketAssigned>, IConsumer<TicketRepliedByStaff>, IConsumer<TicketRepliedByClient>,
      IConsumer<TicketResolved>, IConsumer<SlaWarning>, IConsumer<SlaBreached>, IConsumer<SlaClockChanged>
{
    private const string Name = "mail.ticket-mail";

    public Task Consume(ConsumeContext<TicketCreated> context) => db.ProcessOnceAsync(context.Message, Name, async ct =>
    {
        var m = context.Message;
        var now = clock.GetUtcNow();
        var ticket = await TicketAsync(m.TicketId, m.TenantId, ct);
        ticket.Learn(m.Reference, m.Subject ?? m.Reference, m.RequesterId, now);
        // The acknowledgement waits a moment for the SLA's answer-by time (SlaClockChanged brings it forward).
        var notBefore = ticket.FirstResponseDueAt is null ? now + recipients.Options.AcknowledgementWait : now;
        await recipients.AddAsync(m.TenantId, m.EventId, Notifications.TicketReceived, await recipients.ReadersAsync([m.RequesterId], ct), m.TicketId,
            r => Client(ticket, r), ct, notBefore);
    }, context.CancellationToken);

    public Task Consume(ConsumeContext<TicketAssigned> context) => db.ProcessOnceAsync(context.Message, Name, async ct =>
    {
        var m = context.Message;
        var ticket = await TicketAsync(m.TicketId, m.TenantId, ct);
        ticket.Assigned(m.AssigneeId, clock.GetUtcNow());
        if (m.AssigneeId is { } assignee)
        {
            var tenant = await recipients.TenantNameAsync(m.TenantId, ct);
            await recipients.AddAsync(m.TenantId, m.EventId, Notifications.TicketAssigned, await recipients.ReadersAsync([assignee], ct), m.TicketId,
                r => Staff(ticket, tenant), ct);
        }
    }, context.CancellationToken);

    public Task Consume(ConsumeContext<TicketRepliedByStaff> context) => db.ProcessOnceAsync(context.Message, Name, async ct =>
    {
        var m = context.Message;
        var ticket = await TicketAsync(m.TicketId, m.TenantId, ct);
        var author = (await recipients.ReadersAsync([m.AuthorId], ct)).FirstOrDefault()?.Name ?? recipients.Options.SenderName;
        await recipients.AddAsync(m.TenantId, m.EventId, Notifications.StaffReply, await recipients.ReadersAsync([ticket.RequesterId], ct), m.TicketId,
            r => new(Client(ticket, r)) { ["author"] = author, ["body"] = m.Body ?? "" }, ct);
    }, context.CancellationToken);

    public Task Consume(ConsumeContext<TicketRepliedByClient> context) => db.ProcessOnceAsync(context.Message, Name, async ct =>
    {
        var m = context.Message;
        var ticket = await TicketAsync(m.TicketId, m.TenantId, ct);
        var author = (await recipients.ReadersAsync([m.AuthorId], ct)).FirstOrDefault()?.Name ?? "";
        var tenant = await recipients.TenantNameAsync(m.TenantId, ct);
        await recipients.AddAsync(m.TenantId, m.EventId, Notifications.ClientReply, await StaffOfAsync(ticket, ct), m.TicketId,
            r => new(Staff(ticket, tenant)) { ["author"] = author, ["body"] = m.Body }, ct);
    }, context.CancellationToken);

    public Task Consume(ConsumeContext<TicketResolved> context) => db.ProcessOnceAsync(context.Message, Name, async ct =>
    {
        var m = context.Message;
        var ticket = await TicketAsync(m.TicketId, m.TenantId, ct);
        await recipients.AddAsync(m.TenantId, m.EventId, Notifications.TicketResolved, await recipients.ReadersAsync([ticket.RequesterId], ct), m.TicketId,
            r => new(Client(ticket, r)) { ["ratingLink"] = recipients.Link(PortalPages.Rating(ticket.TicketId)) }, ct);
    }, context.CancellationToken);

    public Task Consume(ConsumeContext<SlaWarning> context) => db.ProcessOnceAsync(context.Message, Name, async ct =>
    {
        var m = context.Message;
        await SlaAsync(m, Notifications.SlaWarning, m.DueAt ?? m.ReachedAt, ct);
    }, context.CancellationToken);

    public Task Consume(ConsumeContext<SlaBreached> context) => db.ProcessOnceAsync(context.Message, Name, async ct =>
    {
        var m = context.Message;
        await SlaAsync(m, Notifications.SlaBreached, m.DueAt, ct);
    }, context.CancellationToken);

    public Task Consume(ConsumeContext<SlaClockChanged> context) => db.ProcessOnceAsync(context.Message, Name, async ct =>
    {
        var m = context.Message;
        var now = clock.GetUtcNow();
        var ticket = await TicketAsync(m.TicketId, m.TenantId, ct);
        if (ticket.SlaChanged(m.Revision, m.FirstResponseDueAt, now))
        {
            var waiting = await db.Deliveries.Where(d => d.TicketId == m.TicketId && d.Template == Notifications.TicketReceived && d.Status == DeliveryStatus.Pending)
                .ToListAsync(ct);
            waiting.ForEach(d => d.DueNow(now));
        }
    }, context.CancellationToken);

    private async Task SlaAsync(ISlaClockEvent m, string template, DateTimeOffset dueAt, CancellationToken ct)
    {
        var ticket = await TicketAsync(m.TicketId, m.TenantId, ct);
        var tenant = await recipients.TenantNameAsync(m.TenantId, ct);
        var reference = ticket.Reference.Length > 0 ? ticket.Reference : (m as SlaWarning)?.TicketReference ?? (m as SlaBreached)?.TicketReference ?? "";
        var priority = (m as SlaWarning)?.Priority ?? (m as SlaBreached)?.Priority ?? "";
        await recipients.AddAsync(m.TenantId, m.EventId, template, await StaffOfAsync(ticket, ct), m.TicketId, r => new(Staff(ticket, tenant))
        {
            ["reference"] = reference, ["clock"] = m.Clock == "FirstResponse" ? "first response" : "resolution", ["priority"] = priority,
            ["dueAt"] = Recipients.Format(dueAt, r),
        }, ct);
    }

    /// <summary>The assignee, or the staff who serve the tenant when nobody is assigned (queues have no members).</summary>
    private async Task<List<Reader>> StaffOfAsync(MailTicket ticket, CancellationToken ct) =>
        await recipients.ReadersAsync(ticket.AssigneeId is { } assignee ? [assignee] : await recipients.QueueStaffAsync(ticket.TenantId, ct), ct);

    private Dictionary<string, string> Client(MailTicket ticket, Reader reader) => new()
    {
        ["reference"] = ticket.Reference, ["subject"] = ticket.Subject, ["link"] = recipients.Link(PortalPages.Ticket(ticket.TicketId)),
        ["timeZone"] = reader.TimeZone,
    };

    private Dictionary<string, string> Staff(MailTicket ticket, string tenant) => new()
    {
        ["reference"] = ticket.Reference, ["subject"] = ticket.Subject, ["tenant"] = tenant, ["link"] = recipients.Link(PortalPages.DeskTicket(ticket.TicketId)),
    };

    /// <summary>The ticket's row, made if this is the first event of it, and locked until this event's transaction
    /// commits: a ticket's creation and its first SLA clock arrive together, and each takes the row in turn (neither
    /// fails on the other's insert nor misses what the other learnt, such as the answer-by time of the acknowledgement).</summary>
    private async Task<MailTicket> TicketAsync(Guid ticketId, Guid tenantId, CancellationToken ct)
    {
        var unknown = MailTicket.Unknown(ticketId, tenantId, clock.GetUtcNow());
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO mail_tickets (ticket_id, tenant_id, reference, subject, requester_id, sla_revision, updated_at)
            VALUES ({unknown.TicketId}, {unknown.TenantId}, {unknown.Reference}, {unknown.Subject}, {unknown.RequesterId}, {unknown.SlaRevision}, {unknown.UpdatedAt})
            ON CONFLICT (ticket_id) DO NOTHING
            """, ct);
        return await db.Tickets.FromSql($"SELECT * FROM mail_tickets WHERE ticket_id = {ticketId} FOR UPDATE").SingleAsync(ct);
    }
}
