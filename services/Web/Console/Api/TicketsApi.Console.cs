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
    public Task<(List<WaitingTicket> Items, bool More)> WaitingAsync(int most, CancellationToken ct) =>
        PagesAsync<WaitingTicket>(cursor => Query("/api/tickets", ("status", string.Join(',', OpenStatuses)), ("sort", "oldest"),
            ("cursor", cursor), ("limit", "200")), "Tickets", ct, most);
}

/// <summary>The console's keeping of the canned responses (Operators and Admins; Tickets refuses anyone else).</summary>
public sealed partial class TicketsApi
{
    /// <summary>One page of the responses in use by title; <paramref name="q"/> keeps those whose title or text contains it.</summary>
    public Task<Page<CannedResponse>> CannedPageAsync(string? q, string? cursor, int limit, CancellationToken ct) =>
        GetAsync<Page<CannedResponse>>(Query("/api/tickets/canned-responses", ("q", q), ("cursor", cursor), ("limit", limit.ToString(CultureInfo.InvariantCulture))),
            "Canned responses", ct);

    public Task<CannedResponse> AddCannedAsync(string title, string body, CancellationToken ct) =>
        SendAsync<CannedResponse>(HttpMethod.Post, "/api/tickets/canned-responses", new { title, body }, "A canned response", ct);

    public Task<CannedResponse> ChangeCannedAsync(Guid id, string title, string body, CancellationToken ct) =>
        SendAsync<CannedResponse>(HttpMethod.Put, $"/api/tickets/canned-responses/{id}", new { title, body }, "The canned response", ct);

    /// <summary>Retires the response: technicians no longer find it.</summary>
    public Task RetireCannedAsync(Guid id, CancellationToken ct) =>
        SendAsync(HttpMethod.Delete, $"/api/tickets/canned-responses/{id}", null, "The canned response", ct);
}
