using Msp.Slas.Persistence;
using Msp.ServiceDefaults.Identity;
using Msp.ServiceDefaults.Messaging;
using Msp.ServiceDefaults.Persistence;
using Msp.ServiceDefaults.Tenancy;

namespace Msp.Slas;

public static class SlasModule
{
    public const string ServiceName = "slas";

    public static WebApplicationBuilder AddSlas(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<SlasDb>(m => m.AddKnownTenantsTable().AddKnownUsersTable());
        builder.AddMessaging<SlasDb>(ServiceName, bus => bus
            .AddKnownTenantConsumers<SlasDb>(ServiceName)
            .AddKnownUserConsumers<SlasDb>(ServiceName));
        builder.AddMspAuthentication();
        return builder;
    }

    public static WebApplication MapSlasApi(this WebApplication app)
    {
        app.UseMiddleware<KnownUserCheck<SlasDb>>();
        return app;
    }
}
