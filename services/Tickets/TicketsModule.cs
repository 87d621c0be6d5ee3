using Msp.Tickets.Persistence;
using Msp.ServiceDefaults.Identity;
using Msp.ServiceDefaults.Messaging;
using Msp.ServiceDefaults.Persistence;
using Msp.ServiceDefaults.Tenancy;

namespace Msp.Tickets;

public static class TicketsModule
{
    public const string ServiceName = "tickets";

    public static WebApplicationBuilder AddTickets(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<TicketsDb>(m => m.AddKnownTenantsTable().AddKnownUsersTable());
        builder.AddMessaging<TicketsDb>(ServiceName, bus => bus
            .AddKnownTenantConsumers<TicketsDb>(ServiceName)
            .AddKnownUserConsumers<TicketsDb>(ServiceName));
        builder.AddMspAuthentication();
        return builder;
    }

    public static WebApplication MapTicketsApi(this WebApplication app)
    {
        app.UseMiddleware<KnownUserCheck<TicketsDb>>();
        return app;
    }
}
