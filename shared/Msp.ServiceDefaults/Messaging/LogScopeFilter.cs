using MassTransit;
using Microsoft.Extensions.Logging;
using Msp.Contracts;

namespace Msp.ServiceDefaults.Messaging;

/// <summary>Puts the event's tenant, id and correlation id in the log scope of everything its consumer logs,
/// as the correlation middleware does for HTTP requests.</summary>
public sealed class LogScopeFilter<T>(ILogger<LogScopeFilter<T>> logger) : IFilter<ConsumeContext<T>> where T : class
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

    public void Probe(ProbeContext context) => context.CreateFilterScope("msp-log-scope");
}
