using MassTransit;
using Msp.Contracts.Slas;
using Msp.Contracts.Tenants;
using Msp.Contracts.Tickets;

namespace Msp.Web.Live;

/// <summary>Every ticket and SLA clock event that changes what a queue or a ticket page shows, turned into a
/// <see cref="TicketChange"/> for this process's live pages. Nothing is stored: a change missed while no page was open
/// is seen by the next page load, so this consumer needs no inbox (decision 0093). A change of a user's access (a
/// technician's tenants, a role, a deactivation) ends that user's live streams, which reconnect with the new scope.</summary>
public sealed class TicketChangeConsumer(LiveFeed feed) :
    IConsumer<TicketCreated>, IConsumer<TicketPriorityChanged>, IConsumer<TicketStatusChanged>, IConsumer<TicketAssigned>,
    IConsumer<TicketRepliedByStaff>, IConsumer<TicketRepliedByClient>, IConsumer<TicketResolved>, IConsumer<TicketReopened>,
    IConsumer<TicketClosed>, IConsumer<SlaWarning>, IConsumer<SlaBreached>, IConsumer<SlaMet>, IConsumer<SlaClockChanged>,
    IConsumer<TechnicianScopeChanged>, IConsumer<UserRoleChanged>, IConsumer<UserDeactivated>
{
    public Task Consume(ConsumeContext<TicketCreated> context) => Changed(context.Message.TenantId, context.Message.TicketId);

    public Task Consume(ConsumeContext<TicketPriorityChanged> context) => Changed(context.Message.TenantId, context.Message.TicketId);

    public Task Consume(ConsumeContext<TicketStatusChanged> context) => Changed(context.Message.TenantId, context.Message.TicketId);

    public Task Consume(ConsumeContext<TicketAssigned> context) => Changed(context.Message.TenantId, context.Message.TicketId);

    public Task Consume(ConsumeContext<TicketRepliedByStaff> context) => Changed(context.Message.TenantId, context.Message.TicketId);

    public Task Consume(ConsumeContext<TicketRepliedByClient> context) => Changed(context.Message.TenantId, context.Message.TicketId);

    public Task Consume(ConsumeContext<TicketResolved> context) => Changed(context.Message.TenantId, context.Message.TicketId);

    public Task Consume(ConsumeContext<TicketReopened> context) => Changed(context.Message.TenantId, context.Message.TicketId);

    public Task Consume(ConsumeContext<TicketClosed> context) => Changed(context.Message.TenantId, context.Message.TicketId);

    public Task Consume(ConsumeContext<SlaWarning> context) => Changed(context.Message.TenantId, context.Message.TicketId);

    public Task Consume(ConsumeContext<SlaBreached> context) => Changed(context.Message.TenantId, context.Message.TicketId);

    public Task Consume(ConsumeContext<SlaMet> context) => Changed(context.Message.TenantId, context.Message.TicketId);

    public Task Consume(ConsumeContext<SlaClockChanged> context) => Changed(context.Message.TenantId, context.Message.TicketId);

    public Task Consume(ConsumeContext<TechnicianScopeChanged> context) => AccessChanged(context.Message.UserId);

    public Task Consume(ConsumeContext<UserRoleChanged> context) => AccessChanged(context.Message.UserId);

    public Task Consume(ConsumeContext<UserDeactivated> context) => AccessChanged(context.Message.UserId);

    private Task AccessChanged(Guid userId)
    {
        feed.Publish(new TicketChange(Guid.Empty, Guid.Empty, userId));
        return Task.CompletedTask;
    }

    private Task Changed(Guid tenantId, Guid ticketId)
    {
        feed.Publish(new TicketChange(tenantId, ticketId));
        return Task.CompletedTask;
    }
}
