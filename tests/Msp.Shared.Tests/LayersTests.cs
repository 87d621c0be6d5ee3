using System.Text.RegularExpressions;
using System.Xml.Linq;
using Msp.Testing;

namespace Msp.Shared.Tests;

/// <summary>The shared projects reference each other one way only, as docs/architecture.md draws them (decision
/// 0022): by project reference, and by the namespaces their code imports.</summary>
public sealed partial class LayersTests
{
    /// <summary>What each shared project may reference, directly.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Msp.Contracts"] = [],
        ["Msp.ServiceDefaults"] = [],
        ["Msp.Data"] = ["Msp.ServiceDefaults"],
        ["Msp.Messaging"] = ["Msp.Data", "Msp.Contracts"],
        ["Msp.KnownParties"] = ["Msp.Messaging"],
        ["Msp.Jobs"] = ["Msp.Data"],
    };

    private static string Shared => Path.Combine(TestServers.RepoRoot, "shared");

    [Fact]
    public void EverySharedProject_ReferencesOnlyTheLayersBelowIt()
    {
        Directory.GetDirectories(Shared).Select(Path.GetFileName).Order().ShouldBe(Allowed.Keys.Order(), "every shared project is drawn");
        foreach (var (project, allowed) in Allowed)
        {
            var references = XDocument.Load(Path.Combine(Shared, project, project + ".csproj")).Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value)).Order();
            references.ShouldBe(allowed.Order(), $"{project}'s project references");
        }
    }

    [Fact]
    public void NoSharedCode_ImportsANamespaceOfALayerItMayNotReach()
    {
        foreach (var (project, _) in Allowed)
        {
            var reachable = Reachable(project).Append(project).ToHashSet();
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Shared, project), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/")))
            {
                foreach (Match use in MspNamespace().Matches(File.ReadAllText(file)))
                {
                    var target = Allowed.Keys.Where(k => use.Groups[1].Value == k || use.Groups[1].Value.StartsWith(k + ".", StringComparison.Ordinal))
                        .MaxBy(k => k.Length);
                    if (target is not null)
                    {
                        reachable.ShouldContain(target, $"{Path.GetRelativePath(Shared, file)} uses {use.Groups[1].Value}");
                    }
                }
            }
        }
    }

    private static IEnumerable<string> Reachable(string project) =>
        Allowed[project].SelectMany(p => Reachable(p).Append(p)).Distinct();

    [GeneratedRegex(@"\b(Msp(?:\.[A-Z]\w*)+)")]
    private static partial Regex MspNamespace();
}
