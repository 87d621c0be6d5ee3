using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Msp.ServiceDefaults.Hosting;

/// <summary>Refuses, before any endpoint binds anything, a request that no endpoint could read right: a path (and so
/// route values) or query string holding text that cannot be stored (<see cref="StorableText"/>), 400 naming the query
/// parameter or <c>path</c>; a <c>Content-Type</c> that does not parse, 400, or names a charset no decoder knows, 415.
/// JSON bodies are checked where they are read (<see cref="StorableStringConverter"/>).</summary>
public sealed class RequestEdgeMiddleware(RequestDelegate next)
{
    private const string Invalid = "One or more validation errors occurred.";

    public async Task InvokeAsync(HttpContext context)
    {
        if (Unstorable(context.Request) is { } field)
        {
            await context.WriteProblemAsync(StatusCodes.Status400BadRequest, Invalid, StorableText.Message, field);
            return;
        }

        if (context.Request.ContentType is { } contentType)
        {
            if (!MediaTypeHeaderValue.TryParse(contentType, out var type))
            {
                await context.WriteProblemAsync(StatusCodes.Status400BadRequest, Invalid, "The Content-Type header does not parse.", "Content-Type");
                return;
            }

            if (type.Charset.HasValue && !KnownCharset(type.Charset.Value!))
            {
                await context.WriteProblemAsync(
                    StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type", $"The charset '{type.Charset}' is not one this service reads; send UTF-8.", "Content-Type");
                return;
            }
        }

        await next(context);
    }

    /// <summary>The field holding unstorable text, if any.</summary>
    public static string? Unstorable(HttpRequest request)
    {
        if (!StorableText.IsStorable(request.Path.Value) || !StorableText.IsStorable(request.PathBase.Value))
        {
            return "path";
        }

        foreach (var (key, values) in request.Query)
        {
            if (!StorableText.IsStorable(key))
            {
                return "query";
            }

            foreach (var value in values)
            {
                if (!StorableText.IsStorable(value))
                {
                    return key;
                }
            }
        }

        return null;
    }

    private static bool KnownCharset(string charset)
    {
        try
        {
            _ = Encoding.GetEncoding(charset.Trim('"'));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
