using MassTransit;
using MassTransit.Logging;
using MassTransit.Monitoring;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Msp.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Msp.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Msp.Messaging;

public static class MessagingExtensions
{
    /// <summary>MassTransit on RabbitMQ (<c>ConnectionStrings:RabbitMq</c>, an amqp:// URI), queues named after the
    /// service, retry with exponential backoff and then the endpoint's <c>_error</c> queue, and the outbox relay
    /// for <typeparamref name="TDb"/>. Consumers are registered by <paramref name="consumers"/>.</summary>
    public static WebApplicationBuilder AddMessaging<TDb>(
        this WebApplicationBuilder builder,
        string serviceName,
        Action<IBusRegistrationConfigurator>? consumers = null) where TDb : DbContext
    {
        var rabbit = builder.Configuration.GetConnectionString("RabbitMq")
            ?? throw new InvalidOperationException("ConnectionStrings:RabbitMq is not configured.");

        var retry = builder.Configuration.GetSection(RetryOptions.Section).Get<RetryOptions>() ?? new RetryOptions();
        builder.Services.AddSingleton(new MigrationSet([.. Migration.EmbeddedIn(typeof(OutboxMessage).Assembly)]));
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<OutboxSignalInterceptor>();
        builder.Services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<OutboxSignalInterceptor>());
        builder.Services.AddHostedService<OutboxRelay<TDb>>();
        // The broker's outages are wall-clock time, whatever clock the service's business runs on (tests fake that one).
        builder.Services.AddSingleton(sp => new ReceiveEndpointRecovery(
            sp.GetRequiredService<IBus>(), new Uri(rabbit), TimeProvider.System, sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<ReceiveEndpointRecovery>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReceiveEndpointRecovery>());
        builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddSource(DiagnosticHeaders.DefaultListenerName));
        builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddMeter(InstrumentationOptions.MeterName));
        var queues = new ServiceQueues();
        builder.Services.AddSingleton(queues);
        builder.Services.AddReceiveEndpointObserver(_ => queues); // the queues whose error queues operators read
        builder.Services.AddSingleton(sp => new FailedMessages(new Uri(rabbit), serviceName, queues, sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<FailedMessages>>()));
        var quorum = builder.Configuration.GetValue<bool>("Msp:Messaging:QuorumQueues");
        builder.Services.AddMassTransit(x =>
        {
            // Each service gets its own queues: two services consuming TenantCreated must both receive it.
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false));
            if (quorum)
            {
                // On a RabbitMQ cluster (k8s/), the durable queues of our consumers are replicated quorum queues.
                x.AddConfigureEndpointsCallback((_, _, endpoint) =>
                {
                    if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                    {
                        rabbit.SetQuorumQueue();
                    }
                });
            }

            consumers?.Invoke(x);
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(new Uri(rabbit));
                // The marker interface gets no exchange of its own: nobody subscribes to "any event".
                cfg.Publish<IIntegrationEvent>(p => p.Exclude = true);
                cfg.UseConsumeFilter(typeof(EventScopeFilter<>), context);
                cfg.UseMessageRetry(r => r.Exponential(retry.Limit, retry.MinInterval, retry.MaxInterval, retry.IntervalDelta));
                cfg.ConfigureEndpoints(context);
            });
        });
        return builder;
    }
}

/// <summary>How a failing consumer retries before its message moves to the <c>_error</c> queue; <c>Msp:Messaging:Retry</c>.</summary>
public sealed class RetryOptions
{
    public const string Section = "Msp:Messaging:Retry";

    public int Limit { get; set; } = 6;

    public TimeSpan MinInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxInterval { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan IntervalDelta { get; set; } = TimeSpan.FromMilliseconds(400);
}

/// <summary>How a consumer of <c>Batch&lt;T&gt;</c> collects its events: up to 100 at once, waiting at most 50 ms after
/// the first for more, two batches at a time. A quiet system hands a lone event over within 50 ms; a busy one
/// applies each batch in one transaction (<see cref="BatchInbox"/>).</summary>
public static class EventBatches
{
    public const int MessageLimit = 100;

    public static readonly TimeSpan TimeLimit = TimeSpan.FromMilliseconds(50);

    public static void Configure<T>(IRegistrationContext context, IConsumerConfigurator<T> consumer) where T : class =>
        consumer.Options<BatchOptions>(o => o.SetMessageLimit(MessageLimit).SetTimeLimit(TimeLimit).SetConcurrencyLimit(2));
}
