using Msp.Billing.Persistence;
using Msp.ServiceDefaults.Messaging;
using Msp.ServiceDefaults.Persistence;
using Msp.ServiceDefaults.Tenancy;

namespace Msp.Billing;

public static class BillingModule
{
    public const string ServiceName = "billing";

    public static WebApplicationBuilder AddBilling(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<BillingDb>(m => m.AddKnownTenantsTable());
        builder.AddMessaging<BillingDb>(ServiceName, bus => bus.AddKnownTenantConsumers<BillingDb>(ServiceName));
        return builder;
    }
}
