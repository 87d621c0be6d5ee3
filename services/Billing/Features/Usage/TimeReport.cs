using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.Billing.Domain;
using Msp.Billing.Persistence;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Identity;

namespace Msp.Billing.Features.Usage;

/// <summary>Minutes worked for one client in one work type during the month, billable and not.</summary>
public sealed record TimeReportRow(Guid TenantId, string WorkType, int BillableMinutes, int NonBillableMinutes);

public sealed record TimeReportResponse(string Period, IReadOnlyList<TimeReportRow> Rows);

/// <summary>Time per client and work type for a month, from the time entries Billing keeps (their current version; a
/// deleted entry counts for nothing), by the date the work was done. For Operators and Admins.</summary>
public static class TimeReport
{
    public static RouteGroupBuilder MapTimeReport(this RouteGroupBuilder group)
    {
        group.MapGet("/reports/time", Get).RequireAuthorization(MspPolicies.Operators).WithName("GetTimeReport");
        return group;
    }

    public static async Task<Results<Ok<TimeReportResponse>, ValidationProblem>> Get(string? period, BillingDb db, CancellationToken ct)
    {
        if (!BillingPeriod.TryParse(period, out var month))
        {
            return Problems.Invalid("period", BillingPeriod.Format);
        }

        var (first, end) = (month.Start, month.End); // End is the first day of the next month
        var rows = await db.Usage.AsNoTracking()
            .Where(u => !u.Deleted && u.WorkDate >= first && u.WorkDate < end)
            .GroupBy(u => new { u.TenantId, u.WorkType })
            .Select(g => new TimeReportRow(g.Key.TenantId, g.Key.WorkType,
                g.Sum(u => u.Billable ? u.Minutes : 0), g.Sum(u => u.Billable ? 0 : u.Minutes)))
            .ToListAsync(ct);
        return TypedResults.Ok(new TimeReportResponse(month.ToString(), [.. rows.OrderBy(r => r.TenantId).ThenBy(r => r.WorkType, StringComparer.Ordinal)]));
    }
}
