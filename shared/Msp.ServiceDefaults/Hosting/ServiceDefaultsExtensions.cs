using System.Text.Json.Serialization;
using FluentValidation;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Msp.ServiceDefaults.Hosting;

/// <summary>The hosting conventions every Msp web process shares: logs, errors, health, limits, OpenAPI.</summary>
public static class ServiceDefaultsExtensions
{
    public const string ReadyTag = "ready";

    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });

        var limits = builder.Configuration.GetSection(RequestLimits.Section).Get<RequestLimits>() ?? new RequestLimits();
        builder.Services.AddSingleton(limits);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = limits.MaxRequestBodyBytes;
            k.AddServerHeader = false;
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));

        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Instance ??= c.HttpContext.Request.Path;
            c.ProblemDetails.Extensions["correlationId"] = c.HttpContext.TraceIdentifier;
        });
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.AddEdgeRules();
        // Malformed request bodies throw so that the exception handler can name the offending field.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(o =>
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false)));
        // A rule stops at its first failure: "required" is the message, not a crash in the length check after it.
        ValidatorOptions.Global.DefaultRuleLevelCascadeMode = CascadeMode.Stop;
        // Errors name fields as the JSON does: "primaryContact.email", not "PrimaryContact.Email".
        ValidatorOptions.Global.PropertyNameResolver = (_, member, expression) =>
        {
            var path = expression is null ? member?.Name : FluentValidation.Internal.PropertyChain.FromExpression(expression).ToString();
            return path is null ? null : string.Join('.', path.Split('.').Select(System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName));
        };

        // One key ring for every Msp process, so a token protected by one can be read by the others.
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("Msp");
        if (builder.Configuration["Msp:DataProtection:KeysPath"] is { Length: > 0 } keys)
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keys));
        }

        builder.AddTelemetry();
        builder.Services.AddOpenApi(o => o.AddBearerTokenSecurity());
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        builder.Services.AddSingleton<IHealthCheckPublisher, HealthChangesLog>();
        builder.Logging.AddFilter(HealthChangesLog.HealthServiceCategory, LogLevel.None);
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>Runs <typeparamref name="TCheck"/> on every signed-in request (is the user still active, is the token
    /// still valid), then authorization: a refused sign-in answers 401 before any policy is asked.</summary>
    public static WebApplication UseUserCheck<TCheck>(this WebApplication app)
    {
        app.UseMiddleware<TCheck>();
        app.UseAuthorization();
        return app;
    }

    /// <summary>Middleware and endpoints every process exposes: correlation, limits, problems, health, OpenAPI.</summary>
    /// <param name="readyWriter">How <c>/health/ready</c> answers; the full report by default (the gateway shows it to Admins only).</param>
    /// <param name="openApi">Whether the process serves its own OpenAPI document (the gateway serves the services' instead).</param>
    public static WebApplication UseServiceDefaults(this WebApplication app, Func<HttpContext, HealthReport, Task>? readyWriter = null, bool openApi = true)
    {
        app.UseMiddleware<CorrelationIdMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseEdgeRules();
        app.UseMiddleware<RequestSizeLimitMiddleware>();
        // Authentication here, authorization only after the service's check of the signed-in user (UseUserCheck):
        // a deactivated user is told 401 (sign in again), not 403 on an endpoint their role could not reach anyway.
        app.UseAuthentication();

        if (openApi)
        {
            app.MapOpenApi();
        }

        app.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("live"),
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(ReadyTag),
            ResponseWriter = readyWriter ?? HealthReportWriter.WriteAsync,
        });
        return app;
    }
}

/// <summary>Limits on what a request may carry, bound from <c>Msp:Requests</c>.</summary>
public sealed class RequestLimits
{
    public const string Section = "Msp:Requests";

    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
