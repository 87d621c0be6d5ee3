namespace Msp.Testing;

/// <summary>Tickets keeps its counts per tenant and status as appended changes that a job folds into the counts whenever
/// it runs (decision 0127): what the two tables hold is the sum of both per tenant and status, not their rows. The
/// fingerprints that must not see a fold as a change read them through <see cref="Source"/>.</summary>
public static class FoldedCounts
{
    public const string Counts = "ticket_status_counts";

    public const string Changes = "ticket_status_changes";

    /// <summary>A row source of the net count per tenant and status (zero ones left out: a fold may leave them).</summary>
    public const string Source = $"""
        (SELECT tenant_id, status, sum(tickets) AS tickets FROM (
            SELECT tenant_id, status, tickets FROM {Counts}
            UNION ALL SELECT tenant_id, status, tickets FROM {Changes}) kept
         GROUP BY tenant_id, status HAVING sum(tickets) <> 0)
        """;
}
