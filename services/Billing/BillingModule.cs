using Msp.Billing.Domain;
using Msp.Billing.Features.Accounts;
using Msp.Billing.Features.BlockHours;
using Msp.Billing.Features.Contracts;
using Msp.Billing.Features.Invoices;
using Msp.Billing.Features.SlaPolicies;
using Msp.Billing.Features.Usage;
using Msp.Billing.Persistence;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Identity;
using Msp.KnownParties;
using Msp.Messaging;
using Msp.Data;
using Msp.ServiceDefaults.Validation;
using Msp.Jobs;

namespace Msp.Billing;

public static class BillingModule
{
    public const string ServiceName = "billing";

    public static WebApplicationBuilder AddBilling(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<BillingDefaults>(builder.Configuration.GetSection(BillingDefaults.Section));
        builder.AddServiceDatabase<BillingDb>();
        builder.AddMessaging<BillingDb>(ServiceName, bus =>
        {
            bus.AddKnownTenants<BillingDb>(ServiceName).AddKnownUsers<BillingDb>(ServiceName);
            bus.AddConsumer<UsageConsumer>().Endpoint(e => e.Name = $"{ServiceName}-usage");
            bus.AddConsumer<BillingAccountConsumer>().Endpoint(e => e.Name = $"{ServiceName}-accounts");
            bus.AddConsumer<SlaPolicyConsumer>().Endpoint(e => e.Name = $"{ServiceName}-sla-policies");
        });
        builder.AddMspAuthentication();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(BillingPolicies.AccountReaders, p => p.RequireRole(MspRoles.ClientAdmin, MspRoles.Operator, MspRoles.Admin));
        builder.Services.AddValidatorsFrom<BillingDb>();
        builder.Services.AddSingleton<InvoiceRunner>();
        builder.AddJobs(ServiceName, jobs => jobs.Add<MonthlyInvoiceRunJob>(
            MonthlyInvoiceRunJob.Id, builder.Configuration["Msp:Billing:MonthlyRunSchedule"] ?? MonthlyInvoiceRunJob.Schedule,
            j => j.RunAsync(CancellationToken.None)));
        return builder;
    }

    public static WebApplication MapBillingApi(this WebApplication app)
    {
        app.UseKnownUserCheck<BillingDb>();
        app.MapJobsDashboard("/api/billing/jobs");
        app.MapFailedMessages("/api/billing");
        app.MapGroup("/api/billing")
            .WithTags("Billing")
            .RequireAuthorization()
            .MapAccounts()
            .MapContracts()
            .MapInvoiceRuns()
            .MapInvoices()
            .MapBlockHours()
            .MapTimeReport();
        return app;
    }
}
