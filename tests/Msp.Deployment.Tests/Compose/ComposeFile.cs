using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Msp.Deployment.Tests.Compose;

/// <summary>compose.yaml as written (anchors and merge keys resolved, ${...} left as they are).</summary>
public sealed class ComposeFile
{
    private ComposeFile(Dictionary<object, object> root) => Root = root;

    public Dictionary<object, object> Root { get; }

    public Dictionary<object, object> Services => (Dictionary<object, object>)Root["services"];

    public static ComposeFile Read()
    {
        using var reader = new StringReader(Repository.Read("compose.yaml"));
        var root = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(new MergingParser(new Parser(reader)));
        return new ComposeFile(root);
    }

    public Dictionary<object, object> Service(string name) => (Dictionary<object, object>)Services[name];

    public IEnumerable<string> Built => Services.Where(s => ((Dictionary<object, object>)s.Value).ContainsKey("build")).Select(s => (string)s.Key);

    public Dictionary<string, string> Environment(string service) =>
        Service(service).TryGetValue("environment", out var env)
            ? ((Dictionary<object, object>)env).ToDictionary(e => (string)e.Key, e => e.Value?.ToString() ?? "")
            : [];

    public static IEnumerable<string> List(Dictionary<object, object> map, string key) =>
        map.TryGetValue(key, out var value) ? ((List<object>)value).Select(v => v.ToString()!) : [];
}
