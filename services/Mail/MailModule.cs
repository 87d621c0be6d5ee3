using Msp.Data;
using Msp.KnownParties;
using Msp.Mail.Features.Deliveries;
using Msp.Mail.Features.Preferences;
using Msp.Mail.Features.Unmatched;
using Msp.Mail.Inbound;
using Msp.Mail.Outbound;
using Msp.Mail.Persistence;
using Msp.Messaging;
using Msp.ServiceDefaults.Identity;
using Msp.ServiceDefaults.Validation;

namespace Msp.Mail;

public static class MailModule
{
    public const string ServiceName = "mail";

    public static WebApplicationBuilder AddMail(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<MailOptions>(builder.Configuration.GetSection(MailOptions.Section));
        builder.AddServiceDatabase<MailDb>();
        builder.AddMessaging<MailDb>(ServiceName, bus =>
        {
            bus.AddKnownTenants<MailDb>(ServiceName).AddKnownUsers<MailDb>(ServiceName);
            bus.AddConsumer<UserMailConsumer>().Endpoint(e => e.Name = $"{ServiceName}-user-mail");
            bus.AddConsumer<TicketMailConsumer>().Endpoint(e => e.Name = $"{ServiceName}-ticket-mail");
            bus.AddConsumer<BillingMailConsumer>().Endpoint(e => e.Name = $"{ServiceName}-billing-mail");
            bus.AddConsumer<TenantDomainsConsumer>().Endpoint(e => e.Name = $"{ServiceName}-tenant-domains");
        });
        builder.AddMspAuthentication();
        builder.Services.AddValidatorsFrom<MailDb>();
        builder.Services.AddSingleton<MailTemplates>().AddSingleton<DeliverySignal>().AddScoped<Recipients>();
        builder.Services.AddSingleton<InboundProcessor>();
        builder.Services.AddSingleton<DeliverySender>().AddHostedService(sp => sp.GetRequiredService<DeliverySender>());
        builder.Services.AddSingleton<MailboxPoller>().AddHostedService(sp => sp.GetRequiredService<MailboxPoller>());
        return builder;
    }

    public static WebApplication MapMailApi(this WebApplication app)
    {
        app.UseKnownUserCheck<MailDb>();
        app.MapFailedMessages("/api/mail");
        app.MapGroup("/api/mail")
            .WithTags("Mail")
            .RequireAuthorization()
            .MapDeliveries()
            .MapUnmatched()
            .MapPreferences();
        return app;
    }
}
