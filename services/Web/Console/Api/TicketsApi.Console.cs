using System.Globalization;

namespace Msp.Web.Api;

/// <summary>The console's calls to Tickets: a client's tickets and how many are open.</summary>
public sealed partial class TicketsApi
{
    public Task<Page<TicketSummary>> ClientTicketsAsync(Guid tenantId, bool open, int limit, CancellationToken ct) =>
        GetAsync<Page<TicketSummary>>(Query("/api/tickets", ("tenantId", tenantId.ToString()), ("status", open ? string.Join(',', OpenStatuses) : null),
            ("include", "time"), ("limit", limit.ToString(CultureInfo.InvariantCulture))), "Tickets", ct);

    public Task<TicketCounts> CountsAsync(Guid? tenantId, CancellationToken ct) =>
        GetAsync<TicketCounts>(Query("/api/tickets/counts", ("tenantId", tenantId?.ToString())), "Ticket counts", ct);
}

/// <summary>An open ticket as the dashboard weighs it: whose it is, since when, and when its SLA falls due.</summary>
public sealed record WaitingTicket(Guid Id, Guid TenantId, string Reference, string Subject, string Status, string Priority, DateTimeOffset CreatedAt, DateTimeOffset? SlaDueAt);

public sealed partial class TicketsApi
{
    /// <summary>Open tickets of every client, the longest waiting first, up to <paramref name="most"/>.</summary>
    public async Task<(List<WaitingTicket> Tickets, bool More)> WaitingAsync(int most, CancellationToken ct)
    {
        var all = new List<WaitingTicket>();
        string? cursor = null;
        do
        {
            var page = await GetAsync<Page<WaitingTicket>>(Query("/api/tickets", ("status", string.Join(',', OpenStatuses)), ("sort", "oldest"),
                ("cursor", cursor), ("limit", "200")), "Tickets", ct);
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null && all.Count < most);
        return (all, cursor is not null);
    }
}
