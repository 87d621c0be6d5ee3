using System.Globalization;
using System.Text;
using CsvHelper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Identity;
using Msp.KnownParties;
using Msp.Slas.Domain;
using Msp.Slas.Persistence;
using NodaTime;
using NodaTime.Text;

namespace Msp.Slas.Features.Compliance;

/// <summary>One clock kind over the period. Met and breached count clocks; the median is of the business time at which
/// the clocks that stopped (in time or late) stopped.</summary>
public sealed record ClockCompliance(string Clock, int Met, int Breached, int Pending, int Cancelled, double? CompliancePercent, double? MedianBusinessMinutes);

/// <summary>A tenant's SLA over one month of its own time zone, for the tickets opened in it. A ticket met its SLA when
/// both clocks stopped in time, breached it when either passed its target; the rest are still pending (or cancelled).</summary>
public sealed record ComplianceResponse(
    Guid TenantId,
    string Period,
    string TimeZone,
    DateTimeOffset From,
    DateTimeOffset To,
    int Tickets,
    int Met,
    int Breached,
    int Pending,
    double? CompliancePercent,
    double? MedianResponseMinutes,
    double? MedianResolutionMinutes,
    IReadOnlyList<ClockCompliance> Clocks);

public static class ComplianceReport
{
    private static readonly YearMonthPattern PeriodPattern = YearMonthPattern.CreateWithInvariantCulture("uuuu-MM");

    public static RouteGroupBuilder MapComplianceReport(this RouteGroupBuilder group)
    {
        group.MapGet("/tenants/{tenantId:guid}/compliance", Handle).RequireAuthorization(MspPolicies.Overseers).WithName(nameof(ComplianceReport));
        return group;
    }

    /// <summary><c>?period=YYYY-MM</c> (default: the current month); CSV with <c>?format=csv</c> or <c>Accept: text/csv</c>.</summary>
    public static async Task<Results<Ok<ComplianceResponse>, FileContentHttpResult, NotFound, ValidationProblem>> Handle(
        Guid tenantId, string? period, string? format, SlasDb db, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var tenant = await db.KnownTenants.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tenantId, ct);
        if (tenant is null)
        {
            return TypedResults.NotFound();
        }

        var csv = format is not null
            ? format.Equals("csv", StringComparison.OrdinalIgnoreCase) ? true
                : format.Equals("json", StringComparison.OrdinalIgnoreCase) ? false : (bool?)null
            : http.Request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase);
        if (csv is null)
        {
            return Problems.Invalid("format", "Format is json or csv.");
        }

        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(tenant.TimeZone) ?? DateTimeZone.Utc;
        var now = clock.GetUtcNow();
        YearMonth month;
        if (period is null)
        {
            var today = Instant.FromDateTimeOffset(now).InZone(zone).Date;
            month = new YearMonth(today.Year, today.Month);
        }
        else if (PeriodPattern.Parse(period) is { Success: true, Value.Year: >= 2000 and <= 2999 } parsed)
        {
            month = parsed.Value;
        }
        else
        {
            return Problems.Invalid("period", "Period is a month as YYYY-MM, from 2000-01 to 2999-12.");
        }

        var from = zone.AtStartOfDay(month.OnDayOfMonth(1)).ToDateTimeOffset();
        var to = zone.AtStartOfDay(month.OnDayOfMonth(1).PlusMonths(1)).ToDateTimeOffset();
        var report = await BuildAsync(db, tenantId, PeriodPattern.Format(month), zone.Id, from, to, now, ct);
        return csv.Value
            ? TypedResults.File(ToCsv(report), "text/csv; charset=utf-8", $"sla-compliance-{tenant.Slug}-{report.Period}.csv")
            : TypedResults.Ok(report);
    }

    public static async Task<ComplianceResponse> BuildAsync(
        SlasDb db, Guid tenantId, string period, string zone, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now, CancellationToken ct)
    {
        var (start, end) = (from.ToUniversalTime(), to.ToUniversalTime());
        var opened = db.Tickets.Where(t => t.TenantId == tenantId && t.OpenedAt >= start && t.OpenedAt < end);
        var clocks = await db.Clocks.AsNoTracking()
            .Where(c => c.TenantId == tenantId && opened.Any(t => t.TicketId == c.TicketId))
            .Select(c => new { c.TicketId, c.Kind, c.State, c.Met, c.BreachAt, c.StopReason, c.ElapsedBefore })
            .ToListAsync(ct);
        var tickets = await opened.CountAsync(ct);

        var byTicket = clocks.GroupBy(c => c.TicketId).ToList();
        var breachedTickets = byTicket.Count(g => g.Any(c => c.BreachAt <= now));
        var metTickets = byTicket.Count(g => g.Count() == 2 && g.All(c => c.Met));
        var perClock = Enum.GetValues<ClockKind>().Select(kind =>
        {
            var of = clocks.Where(c => c.Kind == kind).ToList();
            var met = of.Count(c => c.Met);
            var breached = of.Count(c => c.BreachAt <= now);
            var cancelled = of.Count(c => c.StopReason == "Cancelled" && !(c.BreachAt <= now));
            var stopped = of.Where(c => c.State == ClockState.Stopped && c.StopReason != "Cancelled").Select(c => c.ElapsedBefore.TotalMinutes).ToList();
            return new ClockCompliance(kind.ToString(), met, breached, of.Count - met - breached - cancelled, cancelled, Percent(met, breached), Median(stopped));
        }).ToList();

        return new ComplianceResponse(tenantId, period, zone, from, to, tickets, metTickets, breachedTickets, tickets - metTickets - breachedTickets,
            Percent(metTickets, breachedTickets), perClock[0].MedianBusinessMinutes, perClock[1].MedianBusinessMinutes, perClock);
    }

    private static double? Percent(int met, int breached) => met + breached == 0 ? null : Math.Round(100.0 * met / (met + breached), 1);

    private static double? Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        var middle = values.Count / 2;
        return Math.Round(values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2, 2);
    }

    private static byte[] ToCsv(ComplianceResponse report)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text, CultureInfo.InvariantCulture))
        {
            csv.WriteRecords(new[]
            {
                new
                {
                    tenant_id = report.TenantId,
                    period = report.Period,
                    time_zone = report.TimeZone,
                    tickets = report.Tickets,
                    met = report.Met,
                    breached = report.Breached,
                    pending = report.Pending,
                    compliance_percent = report.CompliancePercent,
                    median_response_minutes = report.MedianResponseMinutes,
                    median_resolution_minutes = report.MedianResolutionMinutes,
                    response_met = report.Clocks[0].Met,
                    response_breached = report.Clocks[0].Breached,
                    resolution_met = report.Clocks[1].Met,
                    resolution_breached = report.Clocks[1].Breached,
                },
            });
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
