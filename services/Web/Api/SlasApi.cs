namespace Msp.Web.Api;

/// <summary>One SLA clock of a ticket as a client sees it: <c>FirstResponse</c> or <c>Resolution</c>, its state
/// (Running, Paused, Met, Breached, Stopped) and when it is due.</summary>
public sealed record SlaClock(string Kind, string State, DateTimeOffset? DueAt, DateTimeOffset? StoppedAt);

public sealed record TicketClocks(IReadOnlyList<SlaClock> Clocks);

public sealed record Compliance(string Period, int Tickets, int Met, int Breached, int Pending, double? CompliancePercent);

/// <summary>SLA clocks and compliance, through the gateway.</summary>
public sealed partial class SlasApi(HttpClient http) : ApiClient(http)
{
    /// <summary>The ticket's clocks, or none when the SLA engine has not heard of the ticket yet (or may not say).</summary>
    public async Task<IReadOnlyList<SlaClock>> ClocksAsync(Guid ticketId, CancellationToken ct)
    {
        try
        {
            return (await GetAsync<TicketClocks>($"/api/slas/tickets/{ticketId}", "The ticket's SLA", ct)).Clocks;
        }
        catch (Exception e) when (e is ApiNotFoundException or ApiForbiddenException)
        {
            return [];
        }
    }

    public Task<Compliance> ComplianceAsync(Guid tenantId, string period, CancellationToken ct) =>
        GetAsync<Compliance>($"/api/slas/tenants/{tenantId}/compliance?period={period}", "SLA compliance", ct);
}
