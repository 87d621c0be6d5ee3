using System.Globalization;
using Msp.ServiceDefaults.Hosting;
using Scalar.AspNetCore;

namespace Msp.Gateway.ApiReference;

/// <summary>One API reference for the whole platform at <c>/api/docs</c> (Scalar, its scripts served by the gateway
/// itself), over each service's OpenAPI document. The documents are proxied routes like any other
/// (<c>/api/docs/openapi/{service}.json</c> in the <c>ReverseProxy</c> section), so the page lists whatever the route
/// table lists and a reader needs nothing but the gateway.</summary>
public static class ApiReferencePage
{
    public const string Path = "/api/docs";

    public const string DocumentsPath = "/api/docs/openapi";

    /// <summary>The document a reader sees first: signing in is in it.</summary>
    public const string FirstDocument = "tenants";

    public static WebApplicationBuilder AddApiReference(this WebApplicationBuilder builder, IConfigurationSection proxy)
    {
        var documents = proxy.GetSection("Routes").GetChildren()
            .Select(route => route["Match:Path"])
            .Where(path => path is not null && path.StartsWith(DocumentsPath + "/", StringComparison.Ordinal) && path.EndsWith(".json", StringComparison.Ordinal))
            .Select(path => System.IO.Path.GetFileNameWithoutExtension(path)!)
            .ToArray();
        builder.Services.AddSingleton(new ApiDocuments(documents));
        return builder;
    }

    public static WebApplication MapApiReference(this WebApplication app)
    {
        var documents = app.Services.GetRequiredService<ApiDocuments>();
        // The page itself (/api/docs/, /api/docs/{document}); its scripts and the documents are files with their own type.
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(Path) && !System.IO.Path.HasExtension(context.Request.Path.Value),
            page => page.UseMiddleware<InlineScriptPolicy>());
        app.MapScalarApiReference(Path, options =>
        {
            options.WithTitle("Msp API reference")
                .WithOpenApiRoutePattern(DocumentsPath + "/{documentName}.json") // also for /api/docs/{documentName}
                .DisableDefaultFonts()
                .AddPreferredSecuritySchemes([BearerTokenSecurity.SchemeName]);
            foreach (var name in documents.Names.OrderBy(n => n == FirstDocument ? 0 : 1))
            {
                options.AddDocument(name, CultureInfo.InvariantCulture.TextInfo.ToTitleCase(name), isDefault: name == FirstDocument);
            }
        });
        return app;
    }
}

/// <summary>The services whose OpenAPI documents the route table proxies, in its order.</summary>
public sealed record ApiDocuments(string[] Names);
