namespace Msp.Web.Api;

/// <summary>The sign-in is over (its refresh was refused, or the API answered 401): the user signs in again and comes
/// back to the page they were on.</summary>
public sealed class SignInExpiredException() : Exception("The sign-in has expired or was revoked.");

/// <summary>The API answered 404: unknown, or another tenant's (the same answer, so existence does not leak).</summary>
public sealed class ApiNotFoundException(string what) : Exception($"{what} was not found.");

/// <summary>The API answered 403: the caller's role may not do this.</summary>
public sealed class ApiForbiddenException(string what) : Exception($"{what} is not allowed.");

/// <summary>The API refused the request with a problem document (400, 409, 412, 413, 423, 429, …); its field errors
/// are shown beside the fields of the form that sent it.</summary>
public sealed class ApiProblemException(int status, string? title, string? detail, IReadOnlyDictionary<string, string[]> errors)
    : Exception(detail ?? title ?? $"The API answered {status}.")
{
    public int Status { get; } = status;

    public string? Title { get; } = title;

    public string? Detail { get; } = detail;

    /// <summary>Field name (as the API's JSON names it, e.g. <c>newPassword</c>) to its messages.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public TimeSpan? RetryAfter { get; init; }
}
