using System.Text.Json;
using System.Text.RegularExpressions;

namespace Msp.Deployment.Tests.Dockerfiles;

/// <summary>A Dockerfile read into its stages and instructions (continuation lines joined, comments dropped).</summary>
public sealed partial class Dockerfile
{
    private Dockerfile(string path, IReadOnlyList<Stage> stages)
    {
        Path = path;
        Stages = stages;
    }

    /// <summary>Relative to the repository root, with forward slashes.</summary>
    public string Path { get; }

    public IReadOnlyList<Stage> Stages { get; }

    public Stage Final => Stages[^1];

    /// <summary>Every Dockerfile of a deployable: the gateway's and each service's.</summary>
    public static IReadOnlyList<Dockerfile> All() =>
        [.. new[] { "gateway/Dockerfile" }
            .Concat(Directory.GetDirectories(Repository.PathOf("services")).Select(d => $"services/{System.IO.Path.GetFileName(d)}/Dockerfile"))
            .Where(p => File.Exists(Repository.PathOf(p)))
            .Order()
            .Select(Read)];

    public static Dockerfile Read(string path)
    {
        var stages = new List<Stage>();
        var logical = Continuation().Replace(Repository.Read(path), " ");
        foreach (var line in logical.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var space = line.IndexOf(' ');
            var keyword = line[..space].ToUpperInvariant();
            var rest = line[(space + 1)..].Trim();
            if (keyword == "FROM")
            {
                var parts = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                stages.Add(new Stage(parts[0], parts.Length == 3 && parts[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? parts[2] : null));
            }
            else
            {
                stages.ShouldNotBeEmpty($"{path}: {keyword} before FROM");
                stages[^1].Instructions.Add(new Instruction(keyword, rest));
            }
        }

        return new Dockerfile(path, stages);
    }

    public Stage StageNamed(string name) => Stages.Single(s => s.Name == name);

    [GeneratedRegex(@"\\\r?\n")]
    private static partial Regex Continuation();
}

public sealed record Stage(string Image, string? Name)
{
    public List<Instruction> Instructions { get; } = [];

    public IEnumerable<Instruction> Of(string keyword) => Instructions.Where(i => i.Keyword == keyword);

    /// <summary>The working directory after the last WORKDIR (absolute paths only here).</summary>
    public string WorkDir => Of("WORKDIR").LastOrDefault()?.Arguments ?? "/";

    /// <summary>The commands of every RUN, split at <c>&amp;&amp;</c>.</summary>
    public IEnumerable<string> Commands => Of("RUN").SelectMany(r => r.Arguments.Split("&&").Select(c => c.Trim()));
}

public sealed record Instruction(string Keyword, string Arguments)
{
    /// <summary>COPY's flags (<c>--from</c>, <c>--chown</c>), sources and destination.</summary>
    public (Dictionary<string, string> Flags, string[] Sources, string Destination) Copy()
    {
        var words = Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var flags = words.TakeWhile(w => w.StartsWith("--", StringComparison.Ordinal))
            .Select(w => w[2..].Split('=', 2)).ToDictionary(f => f[0], f => f.Length > 1 ? f[1] : "");
        var paths = words.Skip(flags.Count).ToArray();
        return (flags, paths[..^1], paths[^1]);
    }

    /// <summary>The exec form (a JSON array) of ENTRYPOINT, CMD or HEALTHCHECK's CMD; null for the shell form.</summary>
    public string[]? ExecForm()
    {
        var json = Keyword == "HEALTHCHECK" ? Arguments[(Arguments.IndexOf(" CMD ", StringComparison.Ordinal) + 5)..].Trim() : Arguments;
        return json.StartsWith('[') ? JsonSerializer.Deserialize<string[]>(json) : null;
    }
}
