using MassTransit;
using Microsoft.Extensions.Logging;
using Msp.Contracts;
using Msp.Data;
using Msp.ServiceDefaults.Identity;

namespace Msp.Messaging;

/// <summary>A consumer's unit of work is scoped to the event's tenant: that is all its database shows it. The event's
/// tenant, id and correlation id also go into the log scope of everything the consumer logs.</summary>
public sealed class EventScopeFilter<T>(TenantScope tenantScope, ILogger<EventScopeFilter<T>> logger) : IFilter<ConsumeContext<T>> where T : class
{
    /// <summary>The HTTP request's correlation id, carried from the outbox row to the consumers' logs.</summary>
    public const string CorrelationHeader = "Msp-CorrelationId";

    public const string TenantHeader = "Msp-TenantId";

    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        if (context.Message is not IIntegrationEvent e)
        {
            await next.Send(context);
            return;
        }

        tenantScope.Allow(e.TenantId);
        var scope = new Dictionary<string, object> { ["TenantId"] = e.TenantId, ["EventId"] = e.EventId };
        if (context.Headers.Get<string>(CorrelationHeader) is { Length: > 0 } correlation)
        {
            scope["CorrelationId"] = correlation;
        }

        using (logger.BeginScope(scope))
        {
            await next.Send(context);
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("msp-event-scope");
}
