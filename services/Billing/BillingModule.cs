using Msp.Billing.Domain;
using Msp.Billing.Features.Accounts;
using Msp.Billing.Features.BlockHours;
using Msp.Billing.Features.Contracts;
using Msp.Billing.Features.Invoices;
using Msp.Billing.Features.Usage;
using Msp.Billing.Persistence;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Identity;
using Msp.ServiceDefaults.Messaging;
using Msp.ServiceDefaults.Persistence;
using Msp.ServiceDefaults.Tenancy;
using Msp.ServiceDefaults.Validation;
using Quartz;

namespace Msp.Billing;

public static class BillingModule
{
    public const string ServiceName = "billing";

    public static WebApplicationBuilder AddBilling(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<BillingDefaults>(builder.Configuration.GetSection(BillingDefaults.Section));
        builder.AddServiceDatabase<BillingDb>(m => m.AddKnownTenantsTable().AddKnownUsersTable().Add([QuartzSchema.Migration()]));
        builder.AddMessaging<BillingDb>(ServiceName, bus =>
        {
            bus.AddKnownTenantConsumers<BillingDb>(ServiceName).AddKnownUserConsumers<BillingDb>(ServiceName);
            bus.AddConsumer<UsageConsumer>().Endpoint(e => e.Name = $"{ServiceName}-usage");
            bus.AddConsumer<BillingAccountConsumer>().Endpoint(e => e.Name = $"{ServiceName}-accounts");
        });
        builder.AddMspAuthentication();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(BillingPolicies.AccountReaders, p => p.RequireRole(MspRoles.ClientAdmin, MspRoles.Operator, MspRoles.Admin));
        builder.Services.AddValidatorsFrom<BillingDb>();
        builder.Services.AddSingleton<InvoiceRunner>();
        AddMonthlyRun(builder);
        return builder;
    }

    public static WebApplication MapBillingApi(this WebApplication app)
    {
        app.UseUserCheck<KnownUserCheck<BillingDb>>();
        app.MapGroup("/api/billing")
            .WithTags("Billing")
            .RequireAuthorization()
            .MapAccounts()
            .MapContracts()
            .MapInvoiceRuns()
            .MapInvoices()
            .MapBlockHours();
        return app;
    }

    /// <summary>The monthly invoice run on Quartz's PostgreSQL job store, clustered: every replica runs a scheduler,
    /// and the store's row locks let exactly one of them fire each month (docs/decisions/0015).</summary>
    private static void AddMonthlyRun(WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Database")!;
        builder.Services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = "msp-billing";
                o.GenerateInstanceId = true;
            });
            q.UsePersistentStore(s =>
            {
                s.UsePostgres(connectionString);
                s.UseClustering();
                s.UseSystemTextJsonSerializer();
            });
            q.AddJob<MonthlyInvoiceRunJob>(j => j.WithIdentity(MonthlyInvoiceRunJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(MonthlyInvoiceRunJob.Key).WithIdentity("monthly-invoice-run", "billing")
                .WithCronSchedule(MonthlyInvoiceRunJob.Schedule, c => c.InTimeZone(TimeZoneInfo.Utc)));
        });
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
    }
}
