using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Msp.ServiceDefaults.Hosting;

/// <summary>Turns every exception into an RFC 9457 problem document; no stack trace ever leaves the process. Failures of
/// the request itself are mapped here; other layers add their own mappings (<see cref="IExceptionProblems"/>: the data
/// layer's for concurrency and constraint violations).</summary>
public sealed partial class ProblemExceptionHandler(
    IProblemDetailsService problems, IEnumerable<IExceptionProblems> mappings, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            BadHttpRequestException { InnerException: UnstorableTextException text } => Invalid(FieldOf(text.Path), StorableText.Message),
            BadHttpRequestException { InnerException: JsonException json } => Invalid(FieldOf(json.Path), "The value is not valid JSON for this field."),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => TooLarge(),
            BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } bad =>
                Invalid("Content-Type", bad.Message, StatusCodes.Status415UnsupportedMediaType),
            BadHttpRequestException bad when !bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase)
                && BoundParameter().Match(bad.Message) is { Success: true } parameter =>
                Invalid(parameter.Groups["name"].Value, "The value is not valid for this parameter."),
            BadHttpRequestException bad => Invalid("body", bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) ? "A valid JSON request body is required." : bad.Message),
            // A multipart or form body that does not parse (a boundary that does not match, a body cut short).
            InvalidDataException => Invalid("body", "The request body is not a readable multipart or form body."),
            _ => mappings.Select(m => m.ToProblem(exception)).FirstOrDefault(p => p is not null),
        };

        if (problem is null)
        {
            logger.LogError(exception, "Unhandled exception");
            problem = new ProblemDetails { Status = StatusCodes.Status500InternalServerError, Title = "An unexpected error occurred" };
        }

        context.Response.StatusCode = problem.Status!.Value;
        if (problem.Status == StatusCodes.Status413PayloadTooLarge)
        {
            context.Response.Headers.Connection = "close"; // the rest of the body is not read (see RequestSizeLimitMiddleware)
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails Invalid(string field, string message, int status = StatusCodes.Status400BadRequest) => new()
    {
        Status = status,
        Title = "One or more validation errors occurred.",
        Extensions = { ["errors"] = new Dictionary<string, string[]> { [field] = [message] } },
    };

    private static ProblemDetails TooLarge() => new()
    {
        Status = StatusCodes.Status413PayloadTooLarge,
        Title = "Request body too large",
        Extensions = { ["errors"] = new Dictionary<string, string[]> { ["body"] = ["The request body is larger than allowed."] } },
    };

    /// <summary>A query, route or header value that did not bind: <c>Failed to bind parameter "int? limit" from "abc".</c>
    /// or <c>Required parameter "string period" was not provided from query string.</c></summary>
    [GeneratedRegex("^(?:Failed to bind parameter|Required parameter) \"(?:[^\"]*[ ])?(?<name>[A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial Regex BoundParameter();

    /// <summary>"$.primaryContact.email" names the field "primaryContact.email"; "$" is the body itself.</summary>
    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
}

/// <summary>Maps the exceptions of one layer (a database's, a broker's) to the problem a caller should see; null for an
/// exception it does not know.</summary>
public interface IExceptionProblems
{
    ProblemDetails? ToProblem(Exception exception);
}
