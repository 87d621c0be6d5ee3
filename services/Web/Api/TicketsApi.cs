using System.Net.Http.Headers;

namespace Msp.Web.Api;

public sealed record TicketSummary(
    Guid Id, string Reference, string Subject, string Status, string Priority, Guid RequesterId, string? RequesterName, string? AssigneeName,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int? TimeSpentMinutes);

public sealed record Ticket(
    Guid Id, Guid TenantId, string Reference, string Subject, string Description, Guid RequesterId, string? RequesterName, string? Category,
    string Impact, string Urgency, string Priority, string Status, string? AssigneeName, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? ResolvedAt, DateTimeOffset? ClosedAt, short? Rating, string? RatingComment, int? TimeSpentMinutes,
    IReadOnlyList<string>? AllowedStatuses);

public sealed record Comment(Guid Id, Guid AuthorId, string? AuthorName, bool ByStaff, string Visibility, string Body, DateTimeOffset CreatedAt);

/// <summary>A file on a ticket; <c>Visibility</c> is <c>Internal</c> for a file sent with an internal note (staff alone
/// see those; Tickets never lists them to a client).</summary>
public sealed record Attachment(Guid Id, Guid? CommentId, string FileName, string ContentType, long SizeBytes, DateTimeOffset CreatedAt, string? Visibility = null);

public sealed record Category(string Key, string Name);

/// <summary>What a list shows: open (not closed nor cancelled), closed, or all; the caller's own or the company's.</summary>
public sealed record TicketQuery(string Show, bool Mine, string? Search, string? Cursor, bool IncludeTime, int Limit = 20);

/// <summary>Tickets, their conversation and files, through the gateway.</summary>
public sealed partial class TicketsApi(HttpClient http) : ApiClient(http)
{
    public static readonly string[] OpenStatuses = ["New", "Open", "InProgress", "WaitingOnCustomer", "WaitingOnThirdParty", "Resolved"];
    public static readonly string[] ClosedStatuses = ["Closed", "Cancelled"];

    public Task<Page<TicketSummary>> ListAsync(TicketQuery query, CancellationToken ct)
    {
        var status = query.Show switch
        {
            "closed" => string.Join(',', ClosedStatuses),
            "all" => null,
            _ => string.Join(',', OpenStatuses),
        };
        return GetAsync<Page<TicketSummary>>(Query("/api/tickets",
            ("status", status), ("q", query.Search), ("view", query.Mine ? "mine" : null), ("include", query.IncludeTime ? "time" : null),
            ("cursor", query.Cursor), ("limit", query.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture))), "Tickets", ct);
    }

    public Task<Ticket> GetAsync(Guid id, CancellationToken ct) => GetAsync<Ticket>($"/api/tickets/{id}", "The ticket", ct);

    /// <summary>Whether the signed-in user may see the ticket, as the Tickets API (and its row-level security) says:
    /// true on 200, false on 404 or 403.</summary>
    public async Task<bool> VisibleAsync(Guid id, CancellationToken ct)
    {
        using var response = await Http.GetAsync($"/api/tickets/{id}", HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Forbidden)
        {
            return false;
        }

        await EnsureAsync(response, "The ticket", ct);
        return true;
    }

    public Task<IReadOnlyList<Category>> CategoriesAsync(CancellationToken ct) =>
        GetAsync<IReadOnlyList<Category>>("/api/tickets/categories", "Categories", ct);

    public Task<Ticket> OpenAsync(string subject, string description, string impact, string urgency, string? category, string idempotencyKey, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/tickets")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { subject, description, impact, urgency, category }, options: Json),
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return SendRequestAsync<Ticket>(request, "A new ticket", ct);
    }

    /// <summary>Staff open a ticket for a tenant's user: a call, a visit (<paramref name="source"/> Phone or WalkIn).</summary>
    public Task<Ticket> OpenForAsync(Guid tenantId, Guid requesterId, string source, string subject, string description, string impact, string urgency,
        string? category, string idempotencyKey, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/tickets")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { tenantId, requesterId, source, subject, description, impact, urgency, category }, options: Json),
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return SendRequestAsync<Ticket>(request, "A new ticket", ct);
    }

    public async Task<IReadOnlyList<Comment>> ConversationAsync(Guid id, CancellationToken ct) =>
        await AllPagesAsync<Comment>(cursor => Query($"/api/tickets/{id}/comments", ("limit", "200"), ("cursor", cursor)), "The conversation", ct);

    public Task<IReadOnlyList<Attachment>> AttachmentsAsync(Guid id, CancellationToken ct) =>
        GetAsync<IReadOnlyList<Attachment>>($"/api/tickets/{id}/attachments", "The attachments", ct);

    public Task<Comment> ReplyAsync(Guid id, string body, CancellationToken ct) =>
        SendAsync<Comment>(HttpMethod.Post, $"/api/tickets/{id}/comments", new { body, visibility = "Public" }, "A reply", ct);

    public Task<Ticket> ChangeStatusAsync(Guid id, string status, CancellationToken ct) =>
        SendAsync<Ticket>(HttpMethod.Post, $"/api/tickets/{id}/status", new { status }, "The ticket", ct);

    public Task<Ticket> RateAsync(Guid id, int score, string? comment, CancellationToken ct) =>
        SendAsync<Ticket>(HttpMethod.Post, $"/api/tickets/{id}/rating", new { score, comment }, "A rating", ct);

    /// <summary>Streams one file to the ticket (optionally as part of a reply); the API caps each at 25 MiB.</summary>
    public async Task<Attachment> UploadAsync(Guid id, string fileName, string contentType, Stream content, Guid? commentId, CancellationToken ct)
    {
        using var form = new MultipartFormDataContent();
        var file = new StreamContent(content);
        file.Headers.ContentType = MediaTypeHeaderValue.TryParse(contentType, out var type) ? type : new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        if (commentId is { } comment)
        {
            form.Add(new StringContent(comment.ToString()), "commentId");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/tickets/{id}/attachments") { Content = form };
        return await SendRequestAsync<Attachment>(request, "An attachment", ct);
    }

    /// <summary>The file's response, streamed through to the browser by the caller.</summary>
    public async Task<HttpResponseMessage> DownloadAsync(Guid id, Guid attachmentId, CancellationToken ct)
    {
        var response = await Http.GetAsync($"/api/tickets/{id}/attachments/{attachmentId}", HttpCompletionOption.ResponseHeadersRead, ct);
        try
        {
            await EnsureAsync(response, "The attachment", ct);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task<T> SendRequestAsync<T>(HttpRequestMessage request, string what, CancellationToken ct)
    {
        using (request)
        using (var response = await Http.SendAsync(request, ct))
        {
            await EnsureAsync(response, what, ct);
            return (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<T>(response.Content, Json, ct))!;
        }
    }
}
