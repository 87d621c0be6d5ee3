using Msp.Slas.Persistence;
using Msp.ServiceDefaults.Messaging;
using Msp.ServiceDefaults.Persistence;
using Msp.ServiceDefaults.Tenancy;

namespace Msp.Slas;

public static class SlasModule
{
    public const string ServiceName = "slas";

    public static WebApplicationBuilder AddSlas(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<SlasDb>(m => m.AddKnownTenantsTable());
        builder.AddMessaging<SlasDb>(ServiceName, bus => bus.AddKnownTenantConsumers<SlasDb>(ServiceName));
        return builder;
    }
}
