using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Billing.Features.Usage;
using Msp.ServiceDefaults.Identity;
using Msp.Testing;

namespace Msp.Billing.Tests.Features.Usage;

/// <summary>Time per client and work type for a month (issue 21, "Reports"), billable and not.</summary>
[Collection(nameof(BillingCollection))]
public sealed class TimeReportTests(ServiceFactory<Program> factory)
{
    [Fact]
    public async Task TheMonthsTime_IsSummedPerClientAndWorkType_BillableApart_WithoutDeletedEntriesOrOtherMonths()
    {
        var op = await factory.OperatorAsync();
        var (a, b) = ((await factory.TenantAsync()).Id, (await factory.TenantAsync()).Id);
        await factory.TimeAsync(a, new DateOnly(2021, 3, 1), 30);
        await factory.TimeAsync(a, new DateOnly(2021, 3, 31), 45);
        await factory.TimeAsync(a, new DateOnly(2021, 3, 15), 20, billable: false);
        await factory.TimeAsync(a, new DateOnly(2021, 3, 16), 60, "OnSite");
        await factory.TimeAsync(b, new DateOnly(2021, 3, 10), 15, billable: false);
        await factory.TimeAsync(a, new DateOnly(2021, 4, 1), 999); // next month
        await factory.TimeAsync(a, new DateOnly(2021, 2, 28), 999); // the month before
        var deleted = await factory.TimeAsync(b, new DateOnly(2021, 3, 11), 999);
        await factory.Database.ScalarAsync<int>("UPDATE usage_entries SET deleted = true WHERE time_entry_id = $1 RETURNING 1", deleted);

        var report = (await op.GetFromJsonAsync<TimeReportResponse>("/api/billing/reports/time?period=2021-03"))!;

        report.Period.ShouldBe("2021-03");
        report.Rows.Where(r => r.TenantId == a).ShouldBe([new TimeReportRow(a, "OnSite", 60, 0), new TimeReportRow(a, "Remote", 75, 20)], ignoreOrder: true);
        report.Rows.Where(r => r.TenantId == b).ShouldBe([new TimeReportRow(b, "Remote", 0, 15)]);
    }

    [Fact]
    public async Task AMonthThatIsNotOne_IsRefusedNamingThePeriod_AndClientsAreRefused()
    {
        var op = await factory.OperatorAsync();

        var refused = await op.GetAsync("/api/billing/reports/time?period=2021-13");

        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("period", out _).ShouldBeTrue();
        var tenant = (await factory.TenantAsync()).Id;
        var client = factory.ClientFor(await factory.UserAsync(Caller.Client(MspRoles.ClientAdmin, tenant)));
        (await client.GetAsync("/api/billing/reports/time?period=2021-03")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
