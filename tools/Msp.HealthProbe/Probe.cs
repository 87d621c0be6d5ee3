namespace Msp.HealthProbe;

/// <summary>Asks one health endpoint of the process beside it; see Program.cs.</summary>
public static class Probe
{
    public const string DefaultPath = "/health/live";

    /// <summary>Below Docker's HEALTHCHECK --timeout, so that a slow answer is reported by us, not killed by Docker.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(4);

    /// <summary>The URL to ask: an absolute URL as given, or a path on the port the app listens on in this container
    /// (the first of <c>ASPNETCORE_URLS</c>, else of <c>ASPNETCORE_HTTP_PORTS</c>, else 8080, the images' default),
    /// always on the loopback address.</summary>
    public static Uri Target(string? argument, Func<string, string?> environment)
    {
        var path = string.IsNullOrWhiteSpace(argument) ? DefaultPath : argument;
        if (Uri.TryCreate(path, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            return absolute;
        }

        return new Uri($"http://127.0.0.1:{Port(environment)}{(path.StartsWith('/') ? path : "/" + path)}");
    }

    public static async Task<int> RunAsync(Uri target, TimeSpan timeout, TextWriter log)
    {
        using var client = new HttpClient { Timeout = timeout };
        try
        {
            using var response = await client.GetAsync(target, HttpCompletionOption.ResponseHeadersRead);
            if (response.IsSuccessStatusCode)
            {
                return 0;
            }

            await log.WriteLineAsync($"{target} answered {(int)response.StatusCode}");
            return 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await log.WriteLineAsync($"{target} did not answer: {e.Message}");
            return 1;
        }
    }

    private static int Port(Func<string, string?> environment)
    {
        if (environment("ASPNETCORE_URLS") is { Length: > 0 } urls)
        {
            var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
            // "http://+:8080" and "http://*:8080" are not URIs; the port is what matters here.
            var colon = first.LastIndexOf(':');
            if (colon > 0 && int.TryParse(first[(colon + 1)..].TrimEnd('/'), out var fromUrls))
            {
                return fromUrls;
            }
        }

        if (environment("ASPNETCORE_HTTP_PORTS") is { Length: > 0 } ports &&
            int.TryParse(ports.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0], out var fromPorts))
        {
            return fromPorts;
        }

        return 8080;
    }
}
