using System.Text;
using System.Text.Json.Nodes;

namespace Msp.Testing.Fuzzing;

/// <summary>The malformed requests for one operation: every parameter and body field gets every kind of bad value its
/// schema suggests, the body as a whole is sent empty, broken, wrong-typed and deeply nested, and a multipart upload gets
/// broken framing and hostile file names. <see cref="Choose"/> takes a bounded, deterministic selection that covers
/// every kind of mistake before repeating one.</summary>
public static class FuzzPlan
{
    public static List<FuzzCase> Cases(ApiOperation operation, FuzzInputs inputs)
    {
        var cases = new List<FuzzCase>();
        var parameters = operation.Parameters.Where(p => p.In is "path" or "query").ToList();
        var values = parameters.ToDictionary(p => p, p => inputs.BaselineParameter(operation, p));
        var body = operation.Body is { } schema && !operation.IsMultipart ? inputs.Baseline(schema, "body") : null;

        HttpRequestMessage Request(IReadOnlyDictionary<ApiParameter, string?> with, Func<HttpContent?>? content = null, string? extraQuery = null)
        {
            var path = operation.Path;
            var query = new List<string>();
            foreach (var p in parameters)
            {
                var value = with.TryGetValue(p, out var v) ? v : values[p];
                if (p.In == "path")
                {
                    path = path.Replace("{" + p.Name + "}", value ?? "", StringComparison.Ordinal);
                }
                else if (value is not null && (p.Required || with.ContainsKey(p)))
                {
                    query.Add($"{Uri.EscapeDataString(p.Name)}={value}");
                }
            }

            if (extraQuery is not null)
            {
                query.Add(extraQuery);
            }

            var url = query.Count == 0 ? path : path + "?" + string.Join('&', query);
            var request = new HttpRequestMessage(new HttpMethod(operation.Method), url);
            request.Content = content is not null ? content() : BaselineContent();
            return request;
        }

        HttpContent? BaselineContent() => operation.IsMultipart
            ? Multipart(Part("file", "fuzz.txt", "text/plain", "hello"u8.ToArray()))
            : body is null ? null : FuzzInputs.JsonBody(body.ToJsonString());

        var none = new Dictionary<ApiParameter, string?>();
        cases.Add(new FuzzCase("baseline", "the baseline request", () => Request(none)));

        foreach (var parameter in parameters)
        {
            foreach (var (kind, text) in FuzzInputs.BadParameterValues(parameter.Schema, parameter.In == "path"))
            {
                cases.Add(new FuzzCase($"{parameter.In}: {kind}", $"{parameter.In} parameter '{parameter.Name}': {kind}",
                    () => Request(new Dictionary<ApiParameter, string?> { [parameter] = text })));
            }

            if (parameter.In == "query" && parameter.Required)
            {
                cases.Add(new FuzzCase("query: missing", $"required query parameter '{parameter.Name}' missing",
                    () => Request(new Dictionary<ApiParameter, string?> { [parameter] = null })));
            }
        }

        cases.Add(new FuzzCase("query: NUL in an unknown parameter", "an unknown query parameter holding NUL", () => Request(none, extraQuery: "zz=%00")));
        cases.Add(new FuzzCase("query: NUL in a parameter name", "NUL in a query parameter's name", () => Request(none, extraQuery: "z%00z=1")));

        if (operation.IsMultipart)
        {
            foreach (var (kind, content) in MultipartCases())
            {
                cases.Add(new FuzzCase($"multipart: {kind}", $"multipart body: {kind}", () => Request(none, content)));
            }
        }
        else if (operation.Body is { } bodySchema)
        {
            foreach (var (kind, text, contentType) in BodyCases())
            {
                cases.Add(new FuzzCase($"body: {kind}", $"body: {kind}", () => Request(none, () => FuzzInputs.Body(text, contentType))));
            }

            cases.Add(new FuzzCase("body: none", "body: none at all", () => Request(none, () => null)));

            if (body is not null)
            {
                foreach (var (path, fieldSchema) in FuzzInputs.Fields(body, bodySchema))
                {
                    var name = FuzzInputs.PathText(path);
                    cases.Add(new FuzzCase("field: missing", $"field '{name}' missing", () => Request(none, () => FuzzInputs.JsonBody(FuzzInputs.Replace(body, path, null)))));
                    foreach (var (kind, json) in FuzzInputs.BadValues(fieldSchema))
                    {
                        cases.Add(new FuzzCase($"field: {kind}", $"field '{name}': {kind}",
                            () => Request(none, () => FuzzInputs.JsonBody(FuzzInputs.Replace(body, path, json)))));
                    }
                }
            }
        }

        return cases;
    }

    /// <summary>Up to <paramref name="count"/> cases: the baseline, then one of each kind in a seeded random order, then
    /// more of each kind in turn, so that a small budget still tries every kind of mistake.</summary>
    public static List<FuzzCase> Choose(List<FuzzCase> cases, int count, int seed)
    {
        var random = new Random(seed);
        var byKind = cases.Skip(1).GroupBy(c => c.Kind).Select(g => new Queue<FuzzCase>(g.OrderBy(_ => random.Next()))).OrderBy(_ => random.Next()).ToList();
        var chosen = new List<FuzzCase> { cases[0] };
        while (chosen.Count < count && byKind.Any(q => q.Count > 0))
        {
            foreach (var queue in byKind.Where(q => q.Count > 0))
            {
                if (chosen.Count >= count)
                {
                    break;
                }

                chosen.Add(queue.Dequeue());
            }
        }

        return chosen;
    }

    /// <summary>A stable seed for an operation, so that a run can be repeated exactly.</summary>
    public static int Seed(string name, int salt)
    {
        var hash = 17;
        foreach (var c in name)
        {
            hash = unchecked((hash * 31) + c);
        }

        return unchecked(hash + salt);
    }

    private static IEnumerable<(string Kind, byte[] Body, string? ContentType)> BodyCases() =>
        TextBodyCases().Select(c => (c.Kind, Encoding.UTF8.GetBytes(c.Text), c.ContentType))
            .Append(("invalid UTF-8", [.. "{\"a\":\""u8, 0xFF, 0xFE, .. "\"}"u8], "application/json"))
            .Append(("UTF-8 encoded lone surrogate", [.. "{\"a\":\""u8, 0xED, 0xA0, 0x80, .. "\"}"u8], "application/json"));

    private static IEnumerable<(string Kind, string Text, string? ContentType)> TextBodyCases()
    {
        yield return ("empty", "", "application/json");
        yield return ("JSON null", "null", "application/json");
        yield return ("wrong type: array", "[]", "application/json");
        yield return ("wrong type: string", "\"text\"", "application/json");
        yield return ("wrong type: number", "42", "application/json");
        yield return ("broken JSON", "{\"a\":", "application/json");
        yield return ("trailing garbage", "{} {}", "application/json");
        yield return ("deep nesting", new string('[', 5000) + new string(']', 5000), "application/json");
        yield return ("deeply nested object", string.Concat(Enumerable.Repeat("{\"a\":", 1000)) + "1" + new string('}', 1000), "application/json");
        yield return ("no content type", "{}", null);
        yield return ("text/plain", "{}", "text/plain");
        yield return ("unreadable content type", "{}", ";;;");
        yield return ("unknown charset", "{}", "application/json; charset=no-such-charset");
        yield return ("UTF-16 charset", "{}", "application/json; charset=utf-16");
        yield return ("XML", "<a/>", "application/xml");
        yield return ("form", "a=1", "application/x-www-form-urlencoded");
        yield return ("multipart", "--x\r\n\r\n--x--", "multipart/form-data; boundary=x");
    }

    private static IEnumerable<(string Kind, Func<HttpContent?> Content)> MultipartCases()
    {
        var file = "hello"u8.ToArray();
        yield return ("file name with NUL", () => Multipart(Part("file", "a\0b.txt", "text/plain", file)));
        yield return ("file name with control characters", () => Multipart(Part("file", "a\u0001\u001b.txt", "text/plain", file)));
        yield return ("file name of 300 characters", () => Multipart(Part("file", new string('n', 300) + ".txt", "text/plain", file)));
        yield return ("empty file name", () => Multipart(Part("file", "", "text/plain", file)));
        yield return ("encoded lone surrogate in filename*", () => Multipart(Raw("Content-Disposition: form-data; name=\"file\"; filename*=UTF-8''%ED%A0%80.txt\r\nContent-Type: text/plain", file)));
        yield return ("NUL in the part's content type", () => Multipart(Part("file", "a.txt", "text/pl\0ain", file)));
        yield return ("path in the file name", () => Multipart(Part("file", "../../etc/passwd", "text/plain", file)));
        yield return ("no file part", () => Multipart(Field("visibility", "Public")));
        yield return ("unknown visibility", () => Multipart(Part("file", "a.txt", "text/plain", file), Field("visibility", "Everyone")));
        yield return ("NUL in a field value", () => Multipart(Part("file", "a.txt", "text/plain", file), Field("visibility", "Pub\0lic")));
        yield return ("invalid comment id", () => Multipart(Part("file", "a.txt", "text/plain", file), Field("commentId", "not-a-uuid")));
        yield return ("part without headers", () => Multipart(Raw("", file)));
        yield return ("garbage part header", () => Multipart(Raw("Content-Disposition: ;;;===\r\nX: \u0001", file)));
        yield return ("boundary that does not match", () => Multipart("other-boundary", Part("file", "a.txt", "text/plain", file)));
        yield return ("body cut short", () => Truncated(Part("file", "a.txt", "text/plain", new byte[4000])));
        yield return ("no boundary", () => FuzzInputs.Body(Encoding.UTF8.GetBytes("hello"), "multipart/form-data"));
        yield return ("empty boundary", () => FuzzInputs.Body(Encoding.UTF8.GetBytes("hello"), "multipart/form-data; boundary="));
        yield return ("empty body", () => FuzzInputs.Body([], "multipart/form-data; boundary=fuzz"));
        yield return ("JSON instead", () => FuzzInputs.JsonBody("{\"file\":\"x\"}"));
        yield return ("unreadable content type", () => FuzzInputs.Body(Encoding.UTF8.GetBytes("hello"), ";;;"));
        yield return ("huge part header", () => Multipart(Raw("Content-Disposition: form-data; name=\"file\"; filename=\"" + new string('h', 20_000) + "\"", file)));
        yield return ("no body at all", () => null);
    }

    private const string Boundary = "fuzz-boundary";

    private static byte[] Part(string name, string fileName, string contentType, byte[] content) =>
        Raw($"Content-Disposition: form-data; name=\"{name}\"; filename=\"{fileName}\"\r\nContent-Type: {contentType}", content);

    private static byte[] Field(string name, string value) => Raw($"Content-Disposition: form-data; name=\"{name}\"", Encoding.UTF8.GetBytes(value));

    private static byte[] Raw(string headers, byte[] content) =>
        [.. Encoding.UTF8.GetBytes(headers.Length == 0 ? "\r\n" : headers + "\r\n\r\n"), .. content];

    private static HttpContent Multipart(params byte[][] parts) => Multipart(Boundary, parts);

    /// <summary>A multipart body whose parts are separated by <see cref="Boundary"/>, declared with <paramref name="declared"/>.</summary>
    private static HttpContent Multipart(string declared, params byte[][] parts)
    {
        var body = new List<byte>();
        foreach (var part in parts)
        {
            body.AddRange(Encoding.ASCII.GetBytes($"--{Boundary}\r\n"));
            body.AddRange(part);
            body.AddRange("\r\n"u8.ToArray());
        }

        body.AddRange(Encoding.ASCII.GetBytes($"--{Boundary}--\r\n"));
        return FuzzInputs.Body([.. body], $"multipart/form-data; boundary={declared}");
    }

    private static HttpContent Truncated(byte[] part)
    {
        var body = Encoding.ASCII.GetBytes($"--{Boundary}\r\n").Concat(part).ToArray();
        return FuzzInputs.Body(body[..(body.Length / 2)], $"multipart/form-data; boundary={Boundary}");
    }
}
