using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Msp.Testing.Fuzzing;

/// <summary>One malformed request: what kind of mistake it makes, where, and how to send it.</summary>
public sealed record FuzzCase(string Kind, string Description, Func<HttpRequestMessage> Build);

/// <summary>Values for an operation's parameters and body, from its schemas: a plausible baseline (ids of the caller's
/// own resources where the service told us them, so that requests reach past "not found"), and for every parameter and
/// body field the malformed values a hostile caller sends.</summary>
public sealed class FuzzInputs(IReadOnlyDictionary<string, JsonNode?> known, IReadOnlyDictionary<string, Guid> resources)
{
    private const string Placeholder = "\"@@fuzz-value@@\"";

    /// <summary>A value the schema allows (as far as a schema says), or the one the service named for this field.</summary>
    public JsonNode? Baseline(Schema schema, string name)
    {
        if (known.TryGetValue(name, out var value))
        {
            return value?.DeepClone();
        }

        if (schema.Enum.Count > 0)
        {
            return JsonValue.Create(schema.Enum[0]);
        }

        return schema.Type switch
        {
            "object" when schema.AdditionalProperties is { } extra && !schema.Properties.Any() => new JsonObject { ["Remote"] = Baseline(extra, "value") },
            "object" => new JsonObject(schema.Properties.Select(p => KeyValuePair.Create(p.Name, Baseline(p.Schema, p.Name)))),
            "array" => schema.Items is { } items ? new JsonArray(Baseline(items, name)) : new JsonArray(),
            "boolean" => JsonValue.Create(false),
            "integer" => JsonValue.Create(1),
            "number" => JsonValue.Create(1m),
            "string" => schema.Format switch
            {
                "uuid" => JsonValue.Create(Guid.CreateVersion7()),
                "date" => JsonValue.Create(DateTime.UtcNow.ToString("yyyy-MM-dd")),
                "date-time" => JsonValue.Create(DateTimeOffset.UtcNow.ToString("O")),
                "email" => JsonValue.Create($"fuzz{Guid.NewGuid():N}@tests.local"),
                _ => JsonValue.Create("fuzz " + Guid.NewGuid().ToString("N")[..8]),
            },
            _ => JsonValue.Create("fuzz"),
        };
    }

    /// <summary>A path or query parameter's baseline, as URL text.</summary>
    public string BaselineParameter(ApiOperation operation, ApiParameter parameter)
    {
        if (parameter.In == "path" && resources.TryGetValue(operation.ResourceOf(parameter.Name), out var id))
        {
            return id.ToString();
        }

        return Baseline(parameter.Schema, parameter.Name) switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => Uri.EscapeDataString(s),
            { } other => Uri.EscapeDataString(other.ToJsonString().Trim('"')),
            null => "",
        };
    }

    /// <summary>Malformed JSON values (as JSON text) for a field of this schema.</summary>
    public static IEnumerable<(string Kind, string Json)> BadValues(Schema schema)
    {
        yield return ("null", "null");
        if (schema.Enum.Count > 0)
        {
            yield return ("unknown enum value", "\"NotAValueOfThisEnum\"");
            yield return ("enum as a number", "0");
            yield return ("enum in lower case", Json(schema.Enum[0].ToLowerInvariant()));
            yield return ("empty string", "\"\"");
        }

        switch (schema.Type)
        {
            case "string":
                yield return ("wrong type: number", "12345");
                yield return ("wrong type: object", "{\"a\":1}");
                yield return ("wrong type: array", "[\"a\"]");
                yield return ("huge string", Json(new string('x', 200_000)));
                yield return ("NUL character", "\"a\\u0000b\"");
                yield return ("control characters", "\"\\u0001\\u0008\\u001b[31m\\u007f\\r\\n\\t\"");
                yield return ("lone high surrogate", "\"a\\ud800b\"");
                yield return ("lone low surrogate", "\"\\udc00\"");
                yield return ("empty string", "\"\"");
                yield return ("blank string", "\"   \"");
                yield return ("markup and SQL", Json("<script>alert(1)</script>' OR 1=1; DROP TABLE x;--"));
                yield return ("right-to-left and zero-width", "\"\\u202e\\u200b\\ufeff\"");
                switch (schema.Format)
                {
                    case "uuid":
                        yield return ("invalid id", "\"not-a-uuid\"");
                        yield return ("empty id", "\"00000000-0000-0000-0000-000000000000\"");
                        yield return ("unknown id", Json(Guid.NewGuid().ToString()));
                        yield return ("id with braces", Json("{" + Guid.NewGuid() + "}"));
                        break;
                    case "date":
                        yield return ("invalid date", "\"2024-02-30\"");
                        yield return ("earliest date", "\"0001-01-01\"");
                        yield return ("latest date", "\"9999-12-31\"");
                        yield return ("words for a date", "\"yesterday\"");
                        break;
                    case "date-time":
                        yield return ("invalid instant", "\"2024-13-01T00:00:00Z\"");
                        yield return ("earliest instant, ahead of UTC", "\"0001-01-01T00:00:00+14:00\"");
                        yield return ("latest instant, behind UTC", "\"9999-12-31T23:59:59-14:00\"");
                        yield return ("instant with an offset", "\"2024-06-01T12:00:00+05:30\"");
                        break;
                }

                break;
            case "integer":
                yield return ("wrong type: text", "\"abc\"");
                yield return ("negative", "-1");
                yield return ("zero", "0");
                yield return ("beyond int32", "2147483648");
                yield return ("below int32", "-2147483649");
                yield return ("fraction", "1.5");
                yield return ("beyond any number", "1e400");
                yield return ("huge integer", "99999999999999999999999999999999");
                break;
            case "number":
                yield return ("wrong type: text", "\"abc\"");
                yield return ("negative", "-1");
                yield return ("huge", "1e30");
                yield return ("beyond decimal", "79228162514264337593543950336");
                yield return ("tiny", "0.0000000000000000000000000001");
                yield return ("many decimals", "1.123456789012345678901234567");
                yield return ("beyond any number", "1e400");
                yield return ("not a number", "\"NaN\"");
                break;
            case "boolean":
                yield return ("wrong type: text", "\"yes\"");
                yield return ("wrong type: number", "1");
                break;
            case "array":
                yield return ("wrong type: object", "{}");
                yield return ("null element", "[null]");
                yield return ("empty array", "[]");
                yield return ("deep nesting", new string('[', 300) + new string(']', 300));
                yield return ("wrong-typed elements", "[1, \"a\", true, {}]");
                yield return ("many elements", "[" + string.Join(',', Enumerable.Repeat("null", 5000)) + "]");
                break;
            case "object":
                yield return ("wrong type: text", "\"x\"");
                yield return ("wrong type: array", "[]");
                yield return ("empty object", "{}");
                yield return ("deep nesting", string.Concat(Enumerable.Repeat("{\"a\":", 300)) + "1" + new string('}', 300));
                if (schema.AdditionalProperties is not null)
                {
                    yield return ("empty key", "{\"\": 1}");
                    yield return ("NUL in a key", "{\"a\\u0000\": 1}");
                    yield return ("huge key", "{" + Json(new string('k', 10_000)) + ": 1}");
                }

                break;
        }
    }

    /// <summary>Malformed URL text for a path or query parameter of this schema. A NUL in a path never reaches a service:
    /// Kestrel refuses the request line itself (a bare 400, before any application code), and the test host's client
    /// refuses to send it; NUL is tried in query strings, where it does arrive.</summary>
    public static IEnumerable<(string Kind, string Text)> BadParameterValues(Schema schema, bool inPath)
    {
        if (!inPath)
        {
            yield return ("NUL character", "a%00b");
            yield return ("only NUL", "%00");
        }

        yield return ("huge", new string('x', 4000));
        yield return ("invalid UTF-8", "%FF%FE");
        yield return ("encoded lone surrogate", "%ED%A0%80");
        yield return ("empty", "");
        yield return ("control characters", "%01%1B%7F");
        yield return ("path traversal", "..%2F..%2Fetc%2Fpasswd");
        switch (schema.Format)
        {
            case "uuid":
                yield return ("invalid id", "not-a-uuid");
                yield return ("empty id", "00000000-0000-0000-0000-000000000000");
                yield return ("unknown id", Guid.NewGuid().ToString());
                break;
            case "date" or "date-time":
                yield return ("invalid date", "2024-13-45");
                yield return ("earliest instant, ahead of UTC", Uri.EscapeDataString("0001-01-01T00:00:00+14:00"));
                yield return ("latest instant, behind UTC", Uri.EscapeDataString("9999-12-31T23:59:59-14:00"));
                yield return ("instant with an offset", Uri.EscapeDataString("2024-06-01T12:00:00+05:30"));
                break;
        }

        if (schema.Enum.Count > 0)
        {
            yield return ("unknown enum value", "NotAValueOfThisEnum");
            yield return ("enum as a number", "99");
        }

        switch (schema.Type)
        {
            case "integer" or "number":
                yield return ("wrong type: text", "abc");
                yield return ("negative", "-1");
                yield return ("beyond int64", "99999999999999999999999");
                yield return ("fraction", "1.5");
                break;
            case "boolean":
                yield return ("wrong type: text", "maybe");
                break;
        }
    }

    /// <summary>The body text with the value at <paramref name="path"/> replaced by raw JSON (or removed when null).</summary>
    public static string Replace(JsonNode body, IReadOnlyList<object> path, string? json)
    {
        var copy = body.DeepClone();
        var parent = path.Count == 1 ? copy : Navigate(copy, path.Take(path.Count - 1));
        var last = path[^1];
        if (json is null)
        {
            if (parent is JsonObject o)
            {
                o.Remove((string)last);
            }
            else if (parent is JsonArray a)
            {
                a.RemoveAt((int)last);
            }

            return copy.ToJsonString();
        }

        var marker = JsonValue.Create("@@fuzz-value@@");
        if (parent is JsonObject obj)
        {
            obj[(string)last] = marker;
        }
        else if (parent is JsonArray arr)
        {
            arr[(int)last] = marker;
        }

        return copy.ToJsonString().Replace(Placeholder, json, StringComparison.Ordinal);
    }

    /// <summary>Every field of a body with its schema, as a path from the root (property names and array indexes),
    /// depth first.</summary>
    public static IEnumerable<(IReadOnlyList<object> Path, Schema Schema)> Fields(JsonNode? node, Schema schema, IReadOnlyList<object>? at = null)
    {
        at ??= [];
        switch (node)
        {
            case JsonObject o when schema.Type == "object":
                var properties = schema.Properties.ToList();
                foreach (var (key, value) in o.ToList())
                {
                    var described = properties.FirstOrDefault(p => p.Name == key).Schema ?? schema.AdditionalProperties;
                    if (described is null)
                    {
                        continue;
                    }

                    IReadOnlyList<object> path = [.. at, key];
                    yield return (path, described);
                    foreach (var inner in Fields(value, described, path))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonArray { Count: > 0 } a when schema.Items is { } items:
                IReadOnlyList<object> first = [.. at, 0];
                yield return (first, items);
                foreach (var inner in Fields(a[0], items, first))
                {
                    yield return inner;
                }

                break;
        }
    }

    public static string PathText(IReadOnlyList<object> path) =>
        string.Concat(path.Select((p, i) => p is int n ? $"[{n}]" : i == 0 ? (string)p : "." + p));

    private static JsonNode Navigate(JsonNode node, IEnumerable<object> path)
    {
        foreach (var step in path)
        {
            node = step is int i ? node[i]! : node[(string)step]!;
        }

        return node;
    }

    private static string Json(string text) => JsonSerializer.Serialize(text);

    public static HttpContent Body(byte[] bytes, string? contentType)
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return content;
    }

    public static HttpContent JsonBody(string text, string? contentType = "application/json") => Body(Encoding.UTF8.GetBytes(text), contentType);
}
