using Msp.ServiceDefaults.Hosting;
using Msp.Billing.Features.Usage;
using Msp.Billing.Persistence;
using Msp.ServiceDefaults.Identity;
using Msp.ServiceDefaults.Messaging;
using Msp.ServiceDefaults.Persistence;
using Msp.ServiceDefaults.Tenancy;

namespace Msp.Billing;

public static class BillingModule
{
    public const string ServiceName = "billing";

    public static WebApplicationBuilder AddBilling(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<BillingDb>(m => m.AddKnownTenantsTable().AddKnownUsersTable());
        builder.AddMessaging<BillingDb>(ServiceName, bus => bus
            .AddKnownTenantConsumers<BillingDb>(ServiceName)
            .AddKnownUserConsumers<BillingDb>(ServiceName)
            .AddConsumer<UsageConsumer>().Endpoint(e => e.Name = $"{ServiceName}-usage"));
        builder.AddMspAuthentication();
        return builder;
    }

    public static WebApplication MapBillingApi(this WebApplication app)
    {
        app.UseUserCheck<KnownUserCheck<BillingDb>>();
        return app;
    }
}
