namespace Msp.Billing.Domain;

/// <summary>The record of one invoice run: what it did to each tenant's invoice for the period.</summary>
/// <param name="Trigger"><c>Operator</c> or <c>Schedule</c>.</param>
/// <param name="Issued">Tenants whose invoice for the period was already issued, and stayed as it was.</param>
public sealed record InvoiceRun(
    Guid Id, string Period, Guid? RequestedBy, string Trigger, DateTimeOffset StartedAt, DateTimeOffset FinishedAt,
    int Tenants, int Created, int Updated, int Unchanged, int Issued);

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
