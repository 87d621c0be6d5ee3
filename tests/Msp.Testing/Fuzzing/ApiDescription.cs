using System.Text.Json.Nodes;

namespace Msp.Testing.Fuzzing;

/// <summary>A parameter of an operation as the OpenAPI document describes it.</summary>
public sealed record ApiParameter(string Name, string In, bool Required, Schema Schema);

/// <summary>One operation of a service's OpenAPI document: what the fuzzer calls and how.</summary>
public sealed record ApiOperation(string Method, string Path, IReadOnlyList<ApiParameter> Parameters, string? BodyMediaType, Schema? Body, bool BodyRequired)
{
    public string Name => $"{Method} {Path}";

    public bool IsWrite => Method is "POST" or "PUT" or "PATCH" or "DELETE";

    public bool IsMultipart => BodyMediaType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The literal path in front of a parameter, which names what it identifies: <c>/api/tickets/{id}/comments</c>
    /// → <c>/api/tickets</c> for <c>id</c> (as the access matrix names resources).</summary>
    public string ResourceOf(string parameter) => Path[..Path.IndexOf("{" + parameter, StringComparison.Ordinal)].TrimEnd('/');
}

/// <summary>A JSON schema of the document, its references resolved and the forms OpenAPI 3.1 gives .NET's types reduced
/// to one: <c>["null", "string"]</c> is a nullable string, <c>["integer", "string"]</c> an integer (numbers may be sent as
/// strings), <c>oneOf</c>/<c>anyOf</c> the first alternative that is not null.</summary>
public sealed class Schema
{
    private readonly JsonObject node;
    private readonly JsonObject components;

    public Schema(JsonNode? schema, JsonObject components, int depth = 0)
    {
        this.components = components;
        node = Resolve(schema as JsonObject ?? [], components, depth);
        var types = node["type"] switch
        {
            JsonArray array => array.Select(t => t!.GetValue<string>()).ToList(),
            JsonValue value => [value.GetValue<string>()],
            _ => [],
        };
        Nullable = types.Contains("null");
        Type = new[] { "object", "array", "boolean", "integer", "number", "string" }.FirstOrDefault(types.Contains)
            ?? (node["properties"] is not null || node["additionalProperties"] is JsonObject ? "object" : node["enum"] is not null ? "string" : "any");
        Format = node["format"]?.GetValue<string>();
        Enum = node["enum"] is JsonArray values ? [.. values.Where(v => v is not null).Select(v => v!.ToString())] : [];
        Required = node["required"] is JsonArray required ? [.. required.Select(r => r!.GetValue<string>())] : [];
        Depth = depth;
    }

    public string Type { get; }

    public string? Format { get; }

    public bool Nullable { get; }

    public IReadOnlyList<string> Enum { get; }

    public IReadOnlyList<string> Required { get; }

    public int Depth { get; }

    public IEnumerable<(string Name, Schema Schema)> Properties =>
        Depth > 8 || node["properties"] is not JsonObject properties ? [] : properties.Select(p => (p.Key, new Schema(p.Value, components, Depth + 1)));

    public Schema? Items => Depth > 8 || node["items"] is not JsonObject items ? null : new Schema(items, components, Depth + 1);

    public Schema? AdditionalProperties => Depth > 8 || node["additionalProperties"] is not JsonObject extra ? null : new Schema(extra, components, Depth + 1);

    private static JsonObject Resolve(JsonObject schema, JsonObject components, int depth)
    {
        for (var hops = 0; hops < 20; hops++)
        {
            if (schema["$ref"]?.GetValue<string>() is { } reference)
            {
                var name = reference[(reference.LastIndexOf('/') + 1)..];
                schema = components["schemas"]?[name] as JsonObject ?? [];
                continue;
            }

            if ((schema["oneOf"] ?? schema["anyOf"] ?? schema["allOf"]) is JsonArray alternatives)
            {
                var chosen = alternatives.OfType<JsonObject>().FirstOrDefault(a => a["type"]?.ToString() != "null");
                var nullable = alternatives.OfType<JsonObject>().Any(a => a["type"]?.ToString() == "null");
                if (chosen is null)
                {
                    return schema;
                }

                var merged = (JsonObject)Resolve(chosen, components, depth).DeepClone();
                if (nullable && merged["type"] is JsonValue single)
                {
                    merged["type"] = new JsonArray(single.GetValue<string>(), "null");
                }

                return merged;
            }

            return schema;
        }

        return schema;
    }
}

/// <summary>Reads the operations of an OpenAPI document.</summary>
public static class ApiDescription
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    public static IReadOnlyList<ApiOperation> Read(JsonNode document)
    {
        var components = document["components"] as JsonObject ?? [];
        var operations = new List<ApiOperation>();
        foreach (var (path, item) in document["paths"] as JsonObject ?? [])
        {
            foreach (var method in Methods)
            {
                if (item?[method] is not JsonObject operation)
                {
                    continue;
                }

                var parameters = (operation["parameters"] as JsonArray ?? [])
                    .Concat(item["parameters"] as JsonArray ?? [])
                    .OfType<JsonObject>()
                    .Select(p => new ApiParameter(
                        p["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(), p["required"]?.GetValue<bool>() == true, new Schema(p["schema"], components)))
                    .ToList();
                string? mediaType = null;
                Schema? body = null;
                if (operation["requestBody"]?["content"] is JsonObject content && content.Count > 0)
                {
                    var (type, described) = content.FirstOrDefault(c => c.Key.Contains("json", StringComparison.OrdinalIgnoreCase)) is { Key: not null } json ? json : content.First();
                    mediaType = type;
                    body = new Schema(described?["schema"], components);
                }

                operations.Add(new ApiOperation(method.ToUpperInvariant(), path, parameters, mediaType, body,
                    operation["requestBody"]?["required"]?.GetValue<bool>() == true));
            }
        }

        return operations;
    }
}
