using Msp.Billing.Domain;
using Msp.Billing.Features.Invoices;
using Msp.Testing;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Msp.Billing.Tests.Features.Invoices;

/// <summary>The monthly run lives in Quartz's PostgreSQL job store, on a clustered scheduler, and invoices the month before.</summary>
[Collection(nameof(BillingCollection))]
public sealed class MonthlyInvoiceRunJobTests(ServiceFactory<Program> factory)
{
    [Fact]
    public async Task TheMonthlyTrigger_IsStoredInPostgreSql_AndFiringItInvoicesTheMonthBefore()
    {
        (await factory.Database.ScalarAsync<string>("SELECT cron_expression FROM qrtz_cron_triggers WHERE trigger_name = 'monthly-invoice-run'"))
            .ShouldBe(MonthlyInvoiceRunJob.Schedule);
        (await factory.Database.ScalarAsync<string>("SELECT time_zone_id FROM qrtz_cron_triggers WHERE trigger_name = 'monthly-invoice-run'")).ShouldBe("UTC");
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM qrtz_scheduler_state WHERE sched_name = 'msp-billing'"))
            .ShouldBe(1, "the scheduler checks in to the cluster");

        var op = await factory.OperatorAsync();
        var tenant = await factory.AccountAsync(op);
        var lastMonth = BillingPeriod.Before(DateOnly.FromDateTime(DateTime.UtcNow));
        await BillingSeed.TimeAndMaterialsAsync(op, tenant, lastMonth.Start);
        await factory.TimeAsync(tenant, lastMonth.Start.AddDays(2), 60);

        var scheduler = await factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.TriggerJob(MonthlyInvoiceRunJob.Key);

        await Eventually.HoldsAsync(async () => await factory.Database.ScalarAsync<long>(
                "SELECT count(*) FROM invoice_runs WHERE trigger = 'Schedule' AND period = $1", lastMonth.ToString()) >= 1,
            TimeSpan.FromSeconds(30), "the scheduled run finishes");
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM invoices WHERE tenant_id = $1 AND period = $2", tenant, lastMonth.ToString()))
            .ShouldBe(1, "it drafted last month's invoice");
    }
}
