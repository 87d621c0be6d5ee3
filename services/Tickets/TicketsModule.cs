using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Identity;
using Msp.ServiceDefaults.Messaging;
using Msp.ServiceDefaults.Persistence;
using Msp.ServiceDefaults.Tenancy;
using Msp.ServiceDefaults.Validation;
using Msp.Tickets.Features;
using Msp.Tickets.Features.AllowedMoves;
using Msp.Tickets.Features.AssignTicket;
using Msp.Tickets.Features.Attachments;
using Msp.Tickets.Features.AutoClose;
using Msp.Tickets.Features.ChangeStatus;
using Msp.Tickets.Features.Comments;
using Msp.Tickets.Features.CreateTicket;
using Msp.Tickets.Features.GetTicket;
using Msp.Tickets.Features.History;
using Msp.Tickets.Features.Lists;
using Msp.Tickets.Features.ListTickets;
using Msp.Tickets.Features.RateTicket;
using Msp.Tickets.Features.SlaDue;
using Msp.Tickets.Features.TimeEntries;
using Msp.Tickets.Features.UpdateTicket;
using Msp.Tickets.Persistence;
using Quartz;

namespace Msp.Tickets;

public static class TicketsModule
{
    public const string ServiceName = "tickets";

    public static WebApplicationBuilder AddTickets(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(TicketsOptions.Section).Get<TicketsOptions>() ?? new TicketsOptions();
        builder.Services.Configure<TicketsOptions>(builder.Configuration.GetSection(TicketsOptions.Section));
        builder.AddServiceDatabase<TicketsDb>(m => m.AddKnownTenantsTable().AddKnownUsersTable());
        builder.AddMessaging<TicketsDb>(ServiceName, bus => bus
            .AddKnownTenantConsumers<TicketsDb>(ServiceName)
            .AddKnownUserConsumers<TicketsDb>(ServiceName)
            .AddConsumer<SlaDueConsumer>(EventBatches.Configure).Endpoint(e => e.Name = $"{ServiceName}-sla-due"));
        builder.AddMspAuthentication();
        builder.Services.AddValidatorsFrom<TicketsDb>();
        builder.Services.AddSingleton<KnownTenantLookup>();
        builder.Services.AddSingleton<TicketOpener>().AddHostedService(sp => sp.GetRequiredService<TicketOpener>());
        // The job locks what it closes, so an in-memory schedule per replica is safe (docs/decisions/0012).
        builder.Services.AddQuartz(q => q.ScheduleJob<AutoCloseJob>(t => t
            .WithIdentity("auto-close")
            .StartNow()
            .WithSimpleSchedule(s => s.WithInterval(options.AutoCloseEvery).RepeatForever())));
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return builder;
    }

    public static WebApplication MapTicketsApi(this WebApplication app)
    {
        app.UseUserCheck<KnownUserCheck<TicketsDb>>();
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TicketsOptions>>().Value;
        app.MapGroup("/api/tickets")
            .WithTags("Tickets")
            .RequireAuthorization()
            .AddEndpointFilter<TicketRulesFilter>()
            .MapCreateTicket()
            .MapListTickets()
            .MapGetTicket()
            .MapAllowedMoves()
            .MapUpdateTicket()
            .MapChangeStatus()
            .MapAssignTicket()
            .MapComments()
            .MapAttachments(options)
            .MapTimeEntries()
            .MapHistory()
            .MapRateTicket()
            .MapLists();
        return app;
    }
}
