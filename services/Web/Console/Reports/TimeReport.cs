using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Msp.Web.Api;

namespace Msp.Web.OperatorConsole.Reports;

/// <summary>Time per client and work type for one month, billable and not, as Billing sums it; the page and its CSV
/// show the same rows.</summary>
public static class TimeReport
{
    public sealed record Row(Guid TenantId, string Client, string WorkType, int BillableMinutes, int NonBillableMinutes);

    /// <summary>One client's month: its rows and their totals.</summary>
    public sealed record ClientTotal(Guid TenantId, string Client, int BillableMinutes, int NonBillableMinutes);

    public static async Task<List<Row>> LoadAsync(IReadOnlyDictionary<Guid, string> names, BillingApi billing, string period, CancellationToken ct)
    {
        var report = await billing.TimeReportAsync(period, ct);
        return [.. report.Rows
            .Select(r => new Row(r.TenantId, names.GetValueOrDefault(r.TenantId, r.TenantId.ToString()), r.WorkType, r.BillableMinutes, r.NonBillableMinutes))
            .OrderBy(r => r.Client, StringComparer.CurrentCulture).ThenBy(r => r.WorkType, StringComparer.CurrentCulture)];
    }

    public static List<ClientTotal> PerClient(IEnumerable<Row> rows) =>
        [.. rows.GroupBy(r => (r.TenantId, r.Client))
            .Select(g => new ClientTotal(g.Key.TenantId, g.Key.Client, g.Sum(r => r.BillableMinutes), g.Sum(r => r.NonBillableMinutes)))];

    /// <summary>One line per client and work type: <c>client,client_id,period,work_type,billable_minutes,non_billable_minutes</c>.</summary>
    public static string Csv(IEnumerable<Row> rows, string period)
    {
        var csv = new StringBuilder("client,client_id,period,work_type,billable_minutes,non_billable_minutes\n");
        foreach (var row in rows)
        {
            csv.Append(SlaReport.Field(row.Client)).Append(',').Append(row.TenantId).Append(',').Append(period).Append(',')
                .Append(SlaReport.Field(row.WorkType)).Append(',')
                .Append(row.BillableMinutes.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(row.NonBillableMinutes.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return csv.ToString();
    }

    public static IEndpointRouteBuilder MapTimeReportCsv(this IEndpointRouteBuilder app)
    {
        app.MapGet("/console/reports/time.csv", async (string? period, TenantsApi tenants, BillingApi billing, HttpContext http) =>
        {
            if (!InvoicingFormats.IsPeriod(period))
            {
                return Results.BadRequest();
            }

            var rows = await LoadAsync(await tenants.ClientNamesAsync(http.RequestAborted), billing, period!, http.RequestAborted);
            return Results.File(Encoding.UTF8.GetBytes(Csv(rows, period!)), "text/csv; charset=utf-8", $"time-{period}.csv");
        }).RequireAuthorization(new AuthorizeAttribute { Roles = ConsoleRoles.Operators });
        return app;
    }
}
