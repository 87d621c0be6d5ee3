using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Msp.ServiceDefaults.Hosting;

/// <summary>Makes a service's OpenAPI document usable from the gateway's API reference: it declares the bearer token
/// that <c>POST /api/auth/login</c> issues, marks every operation that needs a signed-in caller with it, and names
/// the gateway (<c>/</c>) as the server, since the gateway forwards every API path unchanged.</summary>
public sealed class BearerTokenSecurity : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string SchemeName = "Bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The accessToken that POST /api/auth/login answers (valid for 15 minutes; POST /api/auth/refresh renews it).",
        };
        document.Servers = [new OpenApiServer { Url = "/", Description = "The gateway" }];
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] });
        }

        return Task.CompletedTask;
    }
}

public static class BearerTokenSecurityExtensions
{
    public static OpenApiOptions AddBearerTokenSecurity(this OpenApiOptions options) =>
        options.AddDocumentTransformer<BearerTokenSecurity>().AddOperationTransformer<BearerTokenSecurity>();
}
