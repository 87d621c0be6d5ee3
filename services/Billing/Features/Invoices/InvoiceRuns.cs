using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.Billing.Domain;
using Msp.Billing.Persistence;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Identity;
using Msp.KnownParties;
using Msp.Data;
using Hangfire;

namespace Msp.Billing.Features.Invoices;

public sealed record InvoiceRunRequest(string? Period);

/// <summary>Invoice runs on demand (Operators and Admins), and the record of every run.</summary>
public static class InvoiceRuns
{
    public static RouteGroupBuilder MapInvoiceRuns(this RouteGroupBuilder group)
    {
        var runs = group.MapGroup("/invoice-runs").RequireAuthorization(MspPolicies.Operators);
        runs.MapPost("/", Run).WithName("RunInvoices");
        runs.MapGet("/", List).WithName("ListInvoiceRuns");
        return group;
    }

    /// <summary>Runs the period now and answers when every tenant's invoice is up to date.</summary>
    public static async Task<Results<Ok<InvoiceRun>, ValidationProblem>> Run(
        InvoiceRunRequest? request, InvoiceRunner runner, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!BillingPeriod.TryParse(request?.Period, out var period))
        {
            return Problems.Invalid("period", BillingPeriod.Format);
        }

        var by = Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : (Guid?)null;
        return TypedResults.Ok(await runner.RunAsync(period, by, "Operator", ct));
    }

    public static async Task<Results<Ok<Page<InvoiceRun>>, ValidationProblem>> List(int? limit, string? cursor, BillingDb db, CancellationToken ct)
    {
        if (!Paging.TryRead<Guid?>(limit, cursor, out var take, out var after, out var problem))
        {
            return problem!;
        }

        var rows = await db.InvoiceRuns.AsNoTracking().Where(r => after == null || r.Id.CompareTo(after.Value) < 0)
            .OrderByDescending(r => r.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(rows.ToPage(take, r => (Guid?)r.Id));
    }
}

/// <summary>The monthly run: on the 1st of each month it invoices the month before. A Hangfire recurring job in the
/// service's database: whichever replicas run, each occurrence is enqueued once and runs on one worker (decision 0031).
/// <c>Msp:Billing:MonthlyRunSchedule</c> replaces the schedule (tests use it).</summary>
public sealed class MonthlyInvoiceRunJob(InvoiceRunner runner, TimeProvider clock)
{
    public const string Id = "monthly-invoice-run";

    /// <summary>02:00 UTC on the 1st: after the last day's time is in.</summary>
    public const string Schedule = "0 2 1 * *";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task RunAsync(CancellationToken cancellationToken) =>
        await runner.RunAsync(BillingPeriod.Before(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)), null, "Schedule", cancellationToken);
}
