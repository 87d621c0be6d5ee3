using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Msp.Web.Api;

namespace Msp.Web.OperatorConsole.Reports;

/// <summary>SLA compliance of every client for one month, as Slas reports it per client; the page and its CSV show the
/// same rows.</summary>
public static class SlaReport
{
    public sealed record Row(Guid TenantId, string Client, Compliance Figures);

    public static async Task<List<Row>> LoadAsync(IReadOnlyDictionary<Guid, string> clients, SlasApi slas, string period, CancellationToken ct)
    {
        var rows = new List<Row>();
        foreach (var (id, name) in clients.OrderBy(c => c.Value, StringComparer.CurrentCulture))
        {
            try
            {
                rows.Add(new Row(id, name, await slas.ComplianceAsync(id, period, ct)));
            }
            catch (ApiNotFoundException)
            {
                // a client the SLA engine has not recorded yet: nothing to report
            }
        }

        return rows;
    }

    /// <summary>One line per client: <c>client,period,tickets,met,breached,pending,compliance_percent</c>.</summary>
    public static string Csv(IEnumerable<Row> rows)
    {
        var csv = new StringBuilder("client,client_id,period,tickets,met,breached,pending,compliance_percent\n");
        foreach (var row in rows)
        {
            var f = row.Figures;
            csv.Append(Field(row.Client)).Append(',').Append(row.TenantId).Append(',').Append(f.Period).Append(',')
                .Append(f.Tickets).Append(',').Append(f.Met).Append(',').Append(f.Breached).Append(',').Append(f.Pending).Append(',')
                .Append(f.CompliancePercent?.ToString("0.##", CultureInfo.InvariantCulture) ?? "").Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).</summary>
    public static string Field(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;

    public static IEndpointRouteBuilder MapSlaReportCsv(this IEndpointRouteBuilder app)
    {
        app.MapGet("/console/reports/sla.csv", async (string? period, TenantsApi tenants, SlasApi slas, HttpContext http) =>
        {
            if (!InvoicingFormats.IsPeriod(period))
            {
                return Results.BadRequest();
            }

            var rows = await LoadAsync(await tenants.ClientNamesAsync(http.RequestAborted), slas, period!, http.RequestAborted);
            return Results.File(Encoding.UTF8.GetBytes(Csv(rows)), "text/csv; charset=utf-8", $"sla-compliance-{period}.csv");
        }).RequireAuthorization(new AuthorizeAttribute { Roles = ConsoleRoles.Operators });
        return app;
    }
}
