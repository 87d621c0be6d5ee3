using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Msp.ServiceDefaults.Hosting;

/// <summary>Traces and metrics of every Msp process through OpenTelemetry: incoming requests, outgoing HTTP calls and
/// whatever sources the other layers add (PostgreSQL commands from the data layer, RabbitMQ sends and consumes from
/// messaging). One trace follows a request from the gateway through a service, the outbox and RabbitMQ to every
/// consumer. Exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; otherwise nothing leaves the process.</summary>
public static class Telemetry
{
    /// <summary>Our own activities (the outbox relay's publishes) come from sources named <c>Msp.*</c>.</summary>
    public const string Sources = "Msp.*";

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Environment.ApplicationName))
            .WithTracing(t => t
                .AddSource(Sources)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsHealthProbe(context))
                .AddHttpClientInstrumentation())
            .WithMetrics(m => m
                .AddMeter(Sources)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>The W3C <c>traceparent</c> of the current activity, to carry a trace across a hop that is not a call
    /// (a row in the outbox, published later by another thread).</summary>
    public static string? CurrentTraceParent() => Activity.Current?.Id is { } id && Activity.Current.IdFormat == ActivityIdFormat.W3C ? id : null;

    // Probes answer every few seconds from orchestrators; a trace each would drown the real ones.
    private static bool IsHealthProbe(HttpContext context) => context.Request.Path.StartsWithSegments("/health");
}
