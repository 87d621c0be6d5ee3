using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Identity;
using Msp.KnownParties;
using Msp.Messaging;
using Msp.Data;
using Msp.ServiceDefaults.Validation;
using Msp.Tickets.Features;
using Msp.Tickets.Features.AllowedMoves;
using Msp.Tickets.Features.AssignTicket;
using Msp.Tickets.Features.BulkChange;
using Msp.Tickets.Features.CannedResponses;
using Msp.Tickets.Features.Attachments;
using Msp.Tickets.Features.AutoClose;
using Msp.Tickets.Features.ChangeStatus;
using Msp.Tickets.Features.Comments;
using Msp.Tickets.Features.CreateTicket;
using Msp.Tickets.Features.GetTicket;
using Msp.Tickets.Features.History;
using Msp.Tickets.Features.InboundMail;
using Msp.Tickets.Features.Lists;
using Msp.Tickets.Features.ListTickets;
using Msp.Tickets.Features.RateTicket;
using Msp.Tickets.Features.SlaDue;
using Msp.Tickets.Features.TimeEntries;
using Msp.Tickets.Features.Timers;
using Msp.Tickets.Features.UpdateTicket;
using Msp.Tickets.Persistence;
using Msp.Jobs;

namespace Msp.Tickets;

public static class TicketsModule
{
    public const string ServiceName = "tickets";

    public static WebApplicationBuilder AddTickets(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(TicketsOptions.Section).Get<TicketsOptions>() ?? new TicketsOptions();
        builder.Services.Configure<TicketsOptions>(builder.Configuration.GetSection(TicketsOptions.Section));
        builder.AddServiceDatabase<TicketsDb>();
        builder.AddMessaging<TicketsDb>(ServiceName, bus =>
        {
            bus.AddKnownTenants<TicketsDb>(ServiceName).AddKnownUsers<TicketsDb>(ServiceName);
            bus.AddConsumer<SlaDueConsumer>(EventBatches.Configure).Endpoint(e => e.Name = $"{ServiceName}-sla-due");
            bus.AddConsumer<InboundMailConsumer>().Endpoint(e => e.Name = $"{ServiceName}-inbound-mail");
        });
        builder.AddMspAuthentication();
        builder.Services.AddValidatorsFrom<TicketsDb>();
        builder.Services.AddSingleton<TicketOpener>().AddHostedService(sp => sp.GetRequiredService<TicketOpener>());
        builder.AddJobs(ServiceName, jobs => jobs
            .Add<AutoCloseJob>(AutoCloseJob.Id, options.AutoCloseSchedule, j => j.RunAsync(CancellationToken.None))
            .Add<StatusCountsJob>(StatusCountsJob.Id, options.StatusCountsSchedule, j => j.RunAsync(CancellationToken.None)));
        return builder;
    }

    public static WebApplication MapTicketsApi(this WebApplication app)
    {
        app.UseKnownUserCheck<TicketsDb>();
        app.MapJobsDashboard("/api/tickets/jobs");
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TicketsOptions>>().Value;
        app.MapFailedMessages("/api/tickets");
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
            .MapBulkChange()
            .MapComments()
            .MapAttachments(options)
            .MapTimeEntries()
            .MapTimers()
            .MapHistory()
            .MapRateTicket()
            .MapLists()
            .MapCannedResponses();
        return app;
    }
}
