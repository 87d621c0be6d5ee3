using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Msp.Web.Api;

/// <summary>What every typed client shares: JSON as the services write it, and their answers turned into results or
/// into the exceptions the pages and the error handling understand.</summary>
public abstract class ApiClient(HttpClient http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    protected HttpClient Http => http;

    protected async Task<T> GetAsync<T>(string url, string what, CancellationToken ct)
    {
        using var response = await http.GetAsync(url, ct);
        await EnsureAsync(response, what, ct);
        return (await response.Content.ReadFromJsonAsync<T>(Json, ct))!;
    }

    /// <summary>Every page of a keyset-paged list, read in order, up to at least <paramref name="most"/> items (all when
    /// not given); <c>More</c> says whether the list went on.</summary>
    protected async Task<(List<T> Items, bool More)> PagesAsync<T>(Func<string?, string> url, string what, CancellationToken ct, int most = int.MaxValue)
    {
        var all = new List<T>();
        string? cursor = null;
        do
        {
            var page = await GetAsync<Page<T>>(url(cursor), what, ct);
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null && all.Count < most);
        return (all, cursor is not null);
    }

    /// <summary>Every item of a keyset-paged list.</summary>
    protected async Task<List<T>> AllPagesAsync<T>(Func<string?, string> url, string what, CancellationToken ct) =>
        (await PagesAsync<T>(url, what, ct)).Items;

    /// <summary>A resource with the version (ETag) it was read at, for a form that sends it back as <c>If-Match</c>.</summary>
    protected async Task<(T Value, string? ETag)> GetVersionedAsync<T>(string url, string what, CancellationToken ct)
    {
        using var response = await http.GetAsync(url, ct);
        await EnsureAsync(response, what, ct);
        return ((await response.Content.ReadFromJsonAsync<T>(Json, ct))!, response.Headers.ETag?.ToString());
    }

    protected async Task<T> SendAsync<T>(HttpMethod method, string url, object? body, string what, CancellationToken ct, bool anonymous = false, string? ifMatch = null)
    {
        using var response = await SendRawAsync(method, url, body, ct, ifMatch);
        await EnsureAsync(response, what, ct, anonymous);
        return (await response.Content.ReadFromJsonAsync<T>(Json, ct))!;
    }

    protected async Task SendAsync(HttpMethod method, string url, object? body, string what, CancellationToken ct, bool anonymous = false)
    {
        using var response = await SendRawAsync(method, url, body, ct);
        await EnsureAsync(response, what, ct, anonymous);
    }

    private Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string url, object? body, CancellationToken ct, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (ifMatch is { Length: > 0 })
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        return http.SendAsync(request, ct);
    }

    /// <summary>Success passes; 401 ends the sign-in and 403 shows the page that refuses (unless the call is an anonymous
    /// one such as sign-in itself, where either is the answer, carried by its problem); 403 and 404 become the pages that say so; other refusals carry their problem document.</summary>
    protected static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken ct, bool anonymous = false)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        switch (response.StatusCode)
        {
            case HttpStatusCode.Unauthorized when !anonymous:
                throw new SignInExpiredException();
            case HttpStatusCode.Forbidden when !anonymous:
                throw new ApiForbiddenException(what);
            case HttpStatusCode.NotFound:
                throw new ApiNotFoundException(what);
        }

        if ((int)response.StatusCode >= 500)
        {
            throw new HttpRequestException($"{what}: the API answered {(int)response.StatusCode}.", null, response.StatusCode);
        }

        throw await ProblemOfAsync(response, ct);
    }

    private static async Task<ApiProblemException> ProblemOfAsync(HttpResponseMessage response, CancellationToken ct)
    {
        string? title = null, detail = null;
        var errors = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        try
        {
            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                title = root.TryGetProperty("title", out var t) ? t.GetString() : null;
                detail = root.TryGetProperty("detail", out var d) ? d.GetString() : null;
                if (root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object)
                {
                    foreach (var field in e.EnumerateObject())
                    {
                        errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                            ? [.. field.Value.EnumerateArray().Select(m => m.GetString() ?? "")]
                            : [field.Value.ToString()];
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's page): the status says enough.
        }

        return new ApiProblemException((int)response.StatusCode, title, detail, errors)
        {
            RetryAfter = response.Headers.RetryAfter?.Delta,
        };
    }

    protected static string Query(string path, params (string Name, string? Value)[] parameters)
    {
        var present = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return present.Count == 0 ? path : $"{path}?{string.Join('&', present)}";
    }
}

/// <summary>One page of a keyset-paged list, as every service answers it.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
