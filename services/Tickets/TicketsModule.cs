using Msp.Tickets.Persistence;
using Msp.ServiceDefaults.Messaging;
using Msp.ServiceDefaults.Persistence;
using Msp.ServiceDefaults.Tenancy;

namespace Msp.Tickets;

public static class TicketsModule
{
    public const string ServiceName = "tickets";

    public static WebApplicationBuilder AddTickets(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<TicketsDb>(m => m.AddKnownTenantsTable());
        builder.AddMessaging<TicketsDb>(ServiceName, bus => bus.AddKnownTenantConsumers<TicketsDb>(ServiceName));
        return builder;
    }
}
