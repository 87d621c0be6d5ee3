using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Msp.Testing;

public static class ProblemAssertions
{
    /// <summary>Asserts the answer is a problem document with <paramref name="status"/> whose <c>errors</c> name
    /// <paramref name="field"/>; answers the field's messages.</summary>
    public static async Task<string[]> ShouldNameAsync(this HttpResponseMessage response, HttpStatusCode status, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", text);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        errors.TryGetProperty(field, out var messages).ShouldBeTrue($"the problem names '{field}': {text}");
        return [.. messages.EnumerateArray().Select(m => m.GetString()!)];
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Requests sent at the same moment, for concurrency tests, and their answers.</summary>
    public static async Task<HttpResponseMessage[]> AllAtOnceAsync(int count, Func<int, Task<HttpResponseMessage>> send)
    {
        using var start = new SemaphoreSlim(0);
        var sending = Enumerable.Range(0, count).Select(async i =>
        {
            await start.WaitAsync();
            return await send(i);
        }).ToList();
        start.Release(count);
        return await Task.WhenAll(sending);
    }
}
