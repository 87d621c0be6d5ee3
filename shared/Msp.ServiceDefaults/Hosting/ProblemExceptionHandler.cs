using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Msp.ServiceDefaults.Hosting;

/// <summary>Turns every exception into an RFC 9457 problem document; no stack trace ever leaves the process. Failures of
/// the request itself are mapped here; other layers add their own mappings (<see cref="IExceptionProblems"/>: the data
/// layer's for concurrency and constraint violations).</summary>
public sealed class ProblemExceptionHandler(
    IProblemDetailsService problems, IEnumerable<IExceptionProblems> mappings, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => Invalid(FieldOf(json.Path), "The value is not valid JSON for this field."),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => TooLarge(),
            BadHttpRequestException bad => Invalid("body", bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) ? "A valid JSON request body is required." : bad.Message),
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

    private static ProblemDetails Invalid(string field, string message) => new()
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "One or more validation errors occurred.",
        Extensions = { ["errors"] = new Dictionary<string, string[]> { [field] = [message] } },
    };

    private static ProblemDetails TooLarge() => new()
    {
        Status = StatusCodes.Status413PayloadTooLarge,
        Title = "Request body too large",
        Extensions = { ["errors"] = new Dictionary<string, string[]> { ["body"] = ["The request body is larger than allowed."] } },
    };

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
