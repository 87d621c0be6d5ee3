using MassTransit;

namespace Msp.Web.Live;

public static class LiveUpdates
{
    /// <summary>The ticket and SLA events on a queue of this process's own (<c>ConnectionStrings:RabbitMq</c>): named
    /// per process, not durable, deleted when the process goes. Each replica of the web app hears every change, for the
    /// pages it serves; a replica that stops leaves no queue filling up behind it.</summary>
    public static WebApplicationBuilder AddLiveUpdates(this WebApplicationBuilder builder)
    {
        var rabbit = builder.Configuration.GetConnectionString("RabbitMq")
            ?? throw new InvalidOperationException("ConnectionStrings:RabbitMq is not configured (the web app hears of ticket changes from it).");
        builder.Services.AddSingleton<LiveFeed>();
        builder.Services.AddMassTransit(x =>
        {
            x.AddConsumer<TicketChangeConsumer>();
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(new Uri(rabbit));
                cfg.ReceiveEndpoint(new TemporaryEndpointDefinition("web-live"), e => e.ConfigureConsumer<TicketChangeConsumer>(context));
            });
        });
        return builder;
    }
}
