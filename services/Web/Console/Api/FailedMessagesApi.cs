namespace Msp.Web.Api;

public sealed record FailedMessageRow(
    string Id, string Queue, string? MessageType, string? Error, string? ExceptionType, DateTimeOffset? FailedAt, Guid? EventId, Guid? TenantId, string Body);

/// <summary>One service's error queues: the messages read (at most 100 a queue) and how many wait in all; or, when the
/// service did not answer, why.</summary>
public sealed record FailedMessagesOf(string Service, IReadOnlyList<FailedMessageRow> Items, long Waiting)
{
    public string? Unreadable { get; init; }
}

public sealed record ReplayedMessageRow(string Id, string Queue);

/// <summary>The error queues of every service that consumes events, through the gateway (Admins only).</summary>
public sealed class FailedMessagesApi(HttpClient http, ILogger<FailedMessagesApi> logger) : ApiClient(http)
{
    public static readonly string[] Services = ["tenants", "tickets", "slas", "billing", "mail"];

    public async Task<IReadOnlyList<FailedMessagesOf>> AllAsync(CancellationToken ct) =>
        await Task.WhenAll(Services.Select(async service =>
        {
            try
            {
                return await GetAsync<FailedMessagesOf>($"/api/{service}/failed-messages", "Failed messages", ct);
            }
            catch (HttpRequestException e)
            {
                // One service down leaves the others' queues readable.
                logger.LogWarning(e, "The failed messages of {Service} could not be read", service);
                return new FailedMessagesOf(service, [], 0) { Unreadable = e.Message };
            }
        }));

    public Task<ReplayedMessageRow> ReplayAsync(string service, string id, CancellationToken ct) =>
        SendAsync<ReplayedMessageRow>(HttpMethod.Post, $"/api/{service}/failed-messages/{Uri.EscapeDataString(id)}/replay", null, "The failed message", ct);
}
