using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Msp.ServiceDefaults.Hosting;

/// <summary>What every process does with hostile input and with the answers it gives: text that cannot be stored is
/// refused where it enters (JSON bodies, paths, query strings), every error is a problem document whatever the caller
/// accepts, and answers to signed-in callers stay out of caches. One place, so that an endpoint added later is covered
/// without a check of its own.</summary>
public static class EdgeRules
{
    /// <summary>Call after <c>AddProblemDetails</c>: the fallback writer must come after the built-in one.</summary>
    public static WebApplicationBuilder AddEdgeRules(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<JsonOptions>(o => o.SerializerOptions.Converters.Add(new StorableStringConverter()));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IProblemDetailsWriter, ProblemsWhateverAccept>());
        // A body of a type the endpoint does not read is answered 415 by the framework itself: name the header at fault.
        builder.Services.PostConfigure<ProblemDetailsOptions>(o =>
        {
            var customize = o.CustomizeProblemDetails;
            o.CustomizeProblemDetails = c =>
            {
                customize?.Invoke(c);
                if (c.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType && !c.ProblemDetails.Extensions.ContainsKey("errors"))
                {
                    c.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]>
                    {
                        ["Content-Type"] = [$"This endpoint does not read '{c.HttpContext.Request.ContentType}'; send application/json."],
                    };
                }
            };
        });
        return builder;
    }

    /// <summary>Call after the exception handler and the status-code pages, before authentication and routing's endpoints.</summary>
    public static WebApplication UseEdgeRules(this WebApplication app)
    {
        app.UseMiddleware<PrivateAnswersMiddleware>();
        app.UseMiddleware<RequestEdgeMiddleware>();
        return app;
    }
}
