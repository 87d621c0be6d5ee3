using System.Security.Claims;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.Billing.Domain;
using Msp.Billing.Persistence;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Identity;
using Msp.Data;

namespace Msp.Billing.Features.Invoices;

public sealed record InvoiceRunRequest(string? Period);

/// <summary>An invoice run and its progress: <see cref="TenantsDone"/> of <see cref="TenantsTotal"/> (0 while queued).</summary>
public sealed record InvoiceRunResponse(
    Guid Id, string Period, string Trigger, RunStatus Status, Guid? RequestedBy, DateTimeOffset QueuedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt, int TenantsTotal, int TenantsDone, int Created, int Updated, int Unchanged, int Issued, string? Error)
{
    public static InvoiceRunResponse From(InvoiceRun r) => new(r.Id, r.Period, r.Trigger, r.Status, r.RequestedBy, r.QueuedAt, r.StartedAt, r.FinishedAt,
        r.Tenants, r.TenantsDone, r.Created, r.Updated, r.Unchanged, r.Issued, r.Error);
}

/// <summary>Invoice runs (Operators and Admins): queued on demand and carried out in the background by a Hangfire job,
/// followed by polling the run; and the record of every run.</summary>
public static class InvoiceRuns
{
    public static RouteGroupBuilder MapInvoiceRuns(this RouteGroupBuilder group)
    {
        var runs = group.MapGroup("/invoice-runs").RequireAuthorization(MspPolicies.Operators);
        runs.MapPost("/", Run).WithName("RunInvoices").ProducesProblem(StatusCodes.Status409Conflict);
        runs.MapGet("/", List).WithName("ListInvoiceRuns");
        runs.MapGet("/{id:guid}", Get).WithName("GetInvoiceRun");
        return group;
    }

    /// <summary>Queues a run of the month and answers 202 with the run to poll (its <c>Location</c>). While a run of the
    /// month is queued or running, another is refused with 409, naming the run under way (<c>runId</c>).</summary>
    public static async Task<Results<Accepted<InvoiceRunResponse>, ValidationProblem, ProblemHttpResult>> Run(
        InvoiceRunRequest? request, InvoiceRunner runner, JobStorage jobs, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!BillingPeriod.TryParse(request?.Period, out var period))
        {
            return Problems.Invalid("period", BillingPeriod.Format);
        }

        var by = Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : (Guid?)null;
        var (run, underWay) = await runner.QueueAsync(period, by, "Operator", ct);
        if (run is null)
        {
            var message = $"A run of {period} is already under way: GET /api/billing/invoice-runs/{underWay} follows it.";
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: message,
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["period"] = [message] }, ["runId"] = underWay });
        }

        try
        {
            // A client on this host's storage, not on Hangfire's process-wide one (tests run several hosts in one process).
            new BackgroundJobClient(jobs).Enqueue<InvoiceRunJob>(j => j.RunAsync(run.Id, CancellationToken.None));
        }
        catch (Exception e)
        {
            await runner.FailAsync(run, $"The run could not be queued: {e.Message}");
            throw;
        }

        return TypedResults.Accepted($"/api/billing/invoice-runs/{run.Id}", InvoiceRunResponse.From(run));
    }

    public static async Task<Results<Ok<InvoiceRunResponse>, NotFound>> Get(Guid id, BillingDb db, CancellationToken ct) =>
        await db.InvoiceRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) is { } run
            ? TypedResults.Ok(InvoiceRunResponse.From(run))
            : TypedResults.NotFound();

    public static async Task<Results<Ok<Page<InvoiceRunResponse>>, ValidationProblem>> List(int? limit, string? cursor, BillingDb db, CancellationToken ct)
    {
        if (!Paging.TryRead<Guid?>(limit, cursor, out var take, out var after, out var problem))
        {
            return problem!;
        }

        var rows = await db.InvoiceRuns.AsNoTracking().Where(r => after == null || r.Id.CompareTo(after.Value) < 0)
            .OrderByDescending(r => r.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(InvoiceRunResponse.From).ToList().ToPage(take, r => (Guid?)r.Id));
    }
}

/// <summary>A queued run, carried out by one Hangfire worker of one replica. A run that fails is recorded as failed and
/// not retried (runs are idempotent: queue another); a replica that stops mid-run leaves its job to be fetched again,
/// and the run is taken over once its worker has been silent for <see cref="InvoiceRun.Abandoned"/>.</summary>
public sealed class InvoiceRunJob(InvoiceRunner runner)
{
    [AutomaticRetry(Attempts = 0)]
    public Task RunAsync(Guid runId, CancellationToken cancellationToken) => runner.RunAsync(runId, cancellationToken);
}

/// <summary>The monthly run: on the 1st of each month it invoices the month before. A Hangfire recurring job in the
/// service's database: whichever replicas run, each occurrence is enqueued once and runs on one worker (decision 0023).
/// It queues a run like an operator's and carries it out on its own worker; when a run of the month is already under
/// way, that one does the work. <c>Msp:Billing:MonthlyRunSchedule</c> replaces the schedule (tests use it).</summary>
public sealed class MonthlyInvoiceRunJob(InvoiceRunner runner, TimeProvider clock, ILogger<MonthlyInvoiceRunJob> logger)
{
    public const string Id = "monthly-invoice-run";

    /// <summary>02:00 UTC on the 1st: after the last day's time is in.</summary>
    public const string Schedule = "0 2 1 * *";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var period = BillingPeriod.Before(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        var (run, underWay) = await runner.QueueAsync(period, null, "Schedule", cancellationToken);
        if (run is null)
        {
            logger.LogInformation("The monthly run of {Period} leaves the work to run {Run}, already under way", period, underWay);
            return;
        }

        await runner.RunAsync(run.Id, cancellationToken);
    }
}
