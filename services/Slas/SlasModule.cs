using Msp.ServiceDefaults.Hosting;
using Msp.Slas.Features.Calendars;
using Msp.Slas.Features.Clocks;
using Msp.Slas.Features.Compliance;
using Msp.Slas.Features.Policies;
using Msp.Slas.Features.TenantSettings;
using Msp.Slas.Persistence;
using Msp.ServiceDefaults.Identity;
using Msp.KnownParties;
using Msp.Messaging;
using Msp.Data;
using Msp.ServiceDefaults.Validation;

namespace Msp.Slas;

public static class SlasModule
{
    public const string ServiceName = "slas";

    public static WebApplicationBuilder AddSlas(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<SlasDb>();
        builder.AddMessaging<SlasDb>(ServiceName, bus =>
        {
            bus.AddKnownTenants<SlasDb>(ServiceName).AddKnownUsers<SlasDb>(ServiceName);
            bus.AddConsumer<TicketClocksConsumer>(EventBatches.Configure).Endpoint(e => e.Name = $"{ServiceName}-ticket-clocks");
            bus.AddConsumer<ContractPolicyConsumer>().Endpoint(e => e.Name = $"{ServiceName}-contract-policy");
        });
        builder.AddMspAuthentication();
        builder.Services.AddValidatorsFrom<SlasDb>();
        builder.Services.AddSingleton<SweepSignal>();
        builder.Services.AddHostedService<DeadlineSweep>();
        return builder;
    }

    public static WebApplication MapSlasApi(this WebApplication app)
    {
        app.UseKnownUserCheck<SlasDb>();
        app.MapFailedMessages("/api/slas");
        app.MapGroup("/api/slas")
            .WithTags("SLAs")
            .RequireAuthorization()
            .MapCalendars()
            .MapPolicies()
            .MapTenantSettings()
            .MapGetTicketClocks()
            .MapGetClockSummaries()
            .MapComplianceReport();
        return app;
    }
}
