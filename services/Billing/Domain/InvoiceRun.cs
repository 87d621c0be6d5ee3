using System.Text.Json.Serialization;

namespace Msp.Billing.Domain;

[JsonConverter(typeof(JsonStringEnumConverter<RunStatus>))]
public enum RunStatus
{
    /// <summary>Accepted, waiting for a worker.</summary>
    Queued,

    /// <summary>A worker is invoicing the tenants; <see cref="InvoiceRun.TenantsDone"/> grows.</summary>
    Running,
    Succeeded,

    /// <summary>Stopped by an error (<see cref="InvoiceRun.Error"/>); the tenants done keep their drafts, and a new run
    /// of the month finishes the work (runs are idempotent).</summary>
    Failed,
}

/// <summary>An invoice run of one month: queued by an operator or the monthly schedule, run in the background by one
/// worker of one replica, with its progress (tenants done of the total) and what it did to each tenant's invoice. One
/// run of a month is queued or running at a time (a partial unique index).</summary>
public sealed class InvoiceRun
{
    /// <summary>A run whose worker has not reported for this long has lost it (its replica stopped): the job, handed
    /// to another worker, takes the run over.</summary>
    public static readonly TimeSpan Abandoned = TimeSpan.FromMinutes(2);

    private InvoiceRun()
    {
    }

    public Guid Id { get; private set; }

    /// <summary><c>YYYY-MM</c>.</summary>
    public string Period { get; private set; } = "";

    public Guid? RequestedBy { get; private set; }

    /// <summary><c>Operator</c> or <c>Schedule</c>.</summary>
    public string Trigger { get; private set; } = "";

    public RunStatus Status { get; private set; }

    public DateTimeOffset QueuedAt { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>When the worker last reported progress.</summary>
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Tenants with a billing account, counted when the run starts (0 while queued).</summary>
    public int Tenants { get; private set; }

    public int TenantsDone { get; private set; }

    public int Created { get; private set; }

    public int Updated { get; private set; }

    public int Unchanged { get; private set; }

    /// <summary>Tenants whose invoice for the period was already issued, and stayed as it was.</summary>
    public int Issued { get; private set; }

    public string? Error { get; private set; }

    public static InvoiceRun Queue(BillingPeriod period, Guid? requestedBy, string trigger, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(), Period = period.ToString(), RequestedBy = requestedBy, Trigger = trigger, Status = RunStatus.Queued,
        QueuedAt = now, UpdatedAt = now,
    };

    /// <summary>Whether a worker may take the run: queued, or running but abandoned by its worker.</summary>
    public bool CanStart(DateTimeOffset now) => Status == RunStatus.Queued || (Status == RunStatus.Running && now - UpdatedAt > Abandoned);

    /// <summary>Starts (or restarts) the run over <paramref name="tenants"/> tenants, from none done.</summary>
    public void Start(int tenants, DateTimeOffset now) =>
        (Status, StartedAt, UpdatedAt, Tenants, TenantsDone, Created, Updated, Unchanged, Issued) = (RunStatus.Running, now, now, tenants, 0, 0, 0, 0, 0);

    /// <summary>Counts the outcomes of the tenants done so far.</summary>
    public void Progress(IReadOnlyCollection<RunOutcome> done, DateTimeOffset now) =>
        (TenantsDone, Created, Updated, Unchanged, Issued, UpdatedAt) = (done.Count, done.Count(o => o == RunOutcome.Created),
            done.Count(o => o == RunOutcome.Updated), done.Count(o => o == RunOutcome.Unchanged), done.Count(o => o == RunOutcome.AlreadyIssued), now);

    public void Succeed(IReadOnlyCollection<RunOutcome> done, DateTimeOffset now)
    {
        Progress(done, now);
        (Status, FinishedAt) = (RunStatus.Succeeded, now);
    }

    public void Fail(string error, DateTimeOffset now) => (Status, Error, FinishedAt, UpdatedAt) = (RunStatus.Failed, error, now, now);
}

/// <summary>What a run did to one tenant's invoice.</summary>
public enum RunOutcome
{
    /// <summary>Nothing to bill, and no invoice.</summary>
    Nothing,
    Created,
    Updated,
    Unchanged,

    /// <summary>The period's invoice is issued (or paid): it never changes.</summary>
    AlreadyIssued,
}
