using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Msp.ServiceDefaults.Hosting;

/// <summary>Optimistic concurrency over HTTP: reads answer an <c>ETag</c>, writes may send it back in <c>If-Match</c>.</summary>
public static class Preconditions
{
    public static string ETag(long version) => $"\"{version}\"";

    /// <summary>The 412 answer when <c>If-Match</c> names another version than <paramref name="current"/>; null when
    /// the write may go ahead (no header, <c>*</c>, or the current version).</summary>
    public static ProblemHttpResult? IfMatchFails(HttpContext http, string current, string what)
    {
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length == 0 || ifMatch == "*" || ifMatch.Split(',').Select(v => v.Trim()).Contains(current))
        {
            return null;
        }

        return TypedResults.Problem(
            statusCode: StatusCodes.Status412PreconditionFailed,
            title: "Precondition failed",
            detail: $"The {what} has changed since version {ifMatch}; read it again and retry.");
    }
}
