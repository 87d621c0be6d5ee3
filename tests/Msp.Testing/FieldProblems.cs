using System.Net;
using System.Text.Json;

namespace Msp.Testing;

public static class FieldProblems
{
    /// <summary>Asserts the answer is a problem document (<c>application/problem+json</c>) with <paramref name="status"/>
    /// whose <c>errors</c> name <paramref name="field"/>; answers the field's messages.</summary>
    public static async Task<string[]> ShouldNameFieldAsync(this HttpResponseMessage response, HttpStatusCode status, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", text);
        using var json = JsonDocument.Parse(text);
        json.RootElement.GetProperty("status").GetInt32().ShouldBe((int)status, text);
        json.RootElement.TryGetProperty("errors", out var errors).ShouldBeTrue($"the problem has errors: {text}");
        errors.TryGetProperty(field, out var messages).ShouldBeTrue($"the problem names '{field}': {text}");
        return [.. messages.EnumerateArray().Select(m => m.GetString()!)];
    }
}
