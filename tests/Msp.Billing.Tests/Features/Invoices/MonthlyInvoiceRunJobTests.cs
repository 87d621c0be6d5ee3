using Hangfire;
using Msp.Billing.Domain;
using Msp.Billing.Features.Invoices;
using Msp.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Msp.Billing.Tests.Features.Invoices;

/// <summary>The monthly run is a Hangfire recurring job in Billing's own database: with two replicas, an occurrence runs
/// once, and it invoices the month before.</summary>
public sealed class MonthlyInvoiceRunJobTests
{
    [Fact]
    public async Task TwoReplicas_RunAnOccurrenceOfTheMonthlyJobOnce_AndItInvoicesTheMonthBefore()
    {
        await using var first = new ServiceFactory<Program>();
        await ((IAsyncLifetime)first).InitializeAsync();
        await using var second = new ServiceFactory<Program> { ReplicaOf = first };
        await ((IAsyncLifetime)second).InitializeAsync();
        (await first.Database.ScalarAsync<string>("SELECT value FROM hangfire.hash WHERE key = 'recurring-job:' || $1 AND field = 'Cron'",
            MonthlyInvoiceRunJob.Id)).ShouldBe(MonthlyInvoiceRunJob.Schedule);
        await Eventually.HoldsAsync(async () => await first.Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.server") == 2,
            TimeSpan.FromSeconds(30), "both replicas' Hangfire servers check in");

        var op = await first.OperatorAsync();
        var tenant = await first.AccountAsync(op);
        var lastMonth = BillingPeriod.Before(DateOnly.FromDateTime(DateTime.UtcNow));
        await BillingSeed.TimeAndMaterialsAsync(op, tenant, lastMonth.Start);
        await first.TimeAsync(tenant, lastMonth.Start.AddDays(2), 60);

        // The next occurrence, a few seconds from now: both replicas' schedulers see it come due at once.
        var due = DateTime.UtcNow.AddSeconds(3);
        first.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<MonthlyInvoiceRunJob>(
            MonthlyInvoiceRunJob.Id, j => j.RunAsync(CancellationToken.None), $"{due.Second} {due.Minute} {due.Hour} * * *",
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });

        await Eventually.HoldsAsync(async () => await first.Database.ScalarAsync<long>(
                "SELECT count(*) FROM hangfire.job WHERE statename = 'Succeeded' AND invocationdata::text LIKE '%MonthlyInvoiceRunJob%'") >= 1,
            TimeSpan.FromSeconds(60), "the occurrence runs");
        (await first.Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%MonthlyInvoiceRunJob%'"))
            .ShouldBe(1, "the occurrence was enqueued once, though two schedulers saw it come due");
        (await first.Database.ScalarAsync<long>("SELECT count(*) FROM invoice_runs WHERE trigger = 'Schedule' AND period = $1", lastMonth.ToString()))
            .ShouldBe(1, "it ran once");
        (await first.Database.ScalarAsync<long>("SELECT count(*) FROM invoices WHERE tenant_id = $1 AND period = $2", tenant, lastMonth.ToString()))
            .ShouldBe(1, "it drafted last month's invoice");
    }
}
