using System.Text.RegularExpressions;
using System.Xml.Linq;
using Msp.Testing;

namespace Msp.Web.Tests.Localization;

/// <summary>The three languages say the same things: the same keys, the same placeholders, and every key the pages
/// name exists.</summary>
public sealed partial class ResourcesTests
{
    private static readonly string Folder = Path.Combine(TestServers.RepoRoot, "services", "Web", "Resources");

    private static Dictionary<string, string> Read(string file) =>
        XDocument.Load(Path.Combine(Folder, file)).Root!.Elements("data").ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value);

    [Theory]
    [InlineData("Text.fr.resx")]
    [InlineData("Text.it.resx")]
    public void EveryTranslation_HasExactlyTheKeysOfEnglish(string translation)
    {
        var english = Read("Text.resx");
        var other = Read(translation);

        english.Keys.Except(other.Keys).ShouldBeEmpty($"missing from {translation}");
        other.Keys.Except(english.Keys).ShouldBeEmpty($"in {translation} but not in English");
    }

    [Theory]
    [InlineData("Text.fr.resx")]
    [InlineData("Text.it.resx")]
    public void EveryTranslation_KeepsThePlaceholdersOfEnglish(string translation)
    {
        var english = Read("Text.resx");
        var other = Read(translation);

        foreach (var (key, value) in english)
        {
            Placeholders(other[key]).ShouldBe(Placeholders(value), $"{key} in {translation}");
        }
    }

    [Fact]
    public void EveryKeyThePagesName_IsInTheResources()
    {
        var english = Read("Text.resx");
        var source = Path.Combine(TestServers.RepoRoot, "services", "Web");
        var named = Directory.EnumerateFiles(source, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".razor") || f.EndsWith(".cs")) && !f.Contains("/obj/") && !f.Contains("/bin/"))
            .SelectMany(f => LiteralKey().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Distinct()
            .ToList();

        named.Count.ShouldBeGreaterThan(100);
        named.Where(k => !english.ContainsKey(k)).ShouldBeEmpty();
    }

    private static List<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Groups[1].Value).Distinct().Order()];

    [GeneratedRegex(@"\{(\d+)")]
    private static partial Regex Placeholder();

    [GeneratedRegex("""(?:\bT|\btext)\["([A-Za-z][\w.\-]*)"[\],]""")]
    private static partial Regex LiteralKey();
}
