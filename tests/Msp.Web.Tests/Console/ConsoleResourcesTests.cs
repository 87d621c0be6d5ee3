using System.Text.RegularExpressions;
using System.Xml.Linq;
using Msp.Testing;

namespace Msp.Web.Tests.Console;

/// <summary>The console's text table says the same things in its three languages, and has every key its pages name
/// (literal keys, and the prefixes of the keys they build from an API's values, checked against those values).</summary>
public sealed partial class ConsoleResourcesTests
{
    private static readonly string Folder = Path.Combine(TestServers.RepoRoot, "services", "Web", "Resources");

    private static Dictionary<string, string> Read(string file) =>
        XDocument.Load(Path.Combine(Folder, file)).Root!.Elements("data").ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value);

    [Theory]
    [InlineData("Console.fr.resx")]
    [InlineData("Console.it.resx")]
    public void EveryTranslation_HasExactlyTheKeysOfEnglish_AndTheirPlaceholders(string translation)
    {
        var english = Read("Console.resx");
        var other = Read(translation);

        english.Keys.Except(other.Keys).ShouldBeEmpty($"missing from {translation}");
        other.Keys.Except(english.Keys).ShouldBeEmpty($"in {translation} but not in English");
        foreach (var (key, value) in english)
        {
            Placeholders(other[key]).ShouldBe(Placeholders(value), $"{key} in {translation}");
            other[key].ShouldNotBeNullOrWhiteSpace(key);
        }
    }

    [Fact]
    public void EveryKeyTheConsoleNames_IsInItsResources()
    {
        var english = Read("Console.resx");
        var named = Sources().SelectMany(text => LiteralKey().Matches(text).Select(m => m.Groups[1].Value)).Distinct().ToList();

        named.Count.ShouldBeGreaterThan(100);
        named.Where(k => !english.ContainsKey(k)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("InvoiceStatus", new[] { "Draft", "Issued", "Paid", "Void" })]
    [InlineData("LineKind", new[] { "RecurringFee", "BlockPurchase", "HoursDrawn", "Overage", "TimeAndMaterials", "IncludedTime", "SlaCredit", "Adjustment" })]
    [InlineData("ContractKind", new[] { "ManagedServices", "BlockHours", "TimeAndMaterials" })]
    [InlineData("ContractStatus", new[] { "Active", "Ended" })]
    [InlineData("ClientStatus", new[] { "Active", "Suspended", "Offboarded" })]
    [InlineData("FeeUnit", new[] { "PerUser", "PerDevice", "Flat" })]
    [InlineData("RunTrigger", new[] { "Operator", "Schedule" })]
    public void EveryValueAnApiAnswers_HasItsText(string prefix, string[] values)
    {
        var english = Read("Console.resx");
        values.Where(v => !english.ContainsKey($"{prefix}.{v}")).ShouldBeEmpty();
    }

    private static IEnumerable<string> Sources()
    {
        var web = Path.Combine(TestServers.RepoRoot, "services", "Web");
        return Directory.EnumerateFiles(Path.Combine(web, "Console"), "*.*", SearchOption.AllDirectories)
            .Append(Path.Combine(web, "Layout", "MainLayout.razor"))
            .Where(f => f.EndsWith(".razor") || f.EndsWith(".cs"))
            .Select(File.ReadAllText);
    }

    private static List<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Groups[1].Value).Distinct().Order()];

    [GeneratedRegex(@"\{(\d+)")]
    private static partial Regex Placeholder();

    [GeneratedRegex("""\bC\["([A-Za-z][\w.\-]*)"[\],]""")]
    private static partial Regex LiteralKey();
}
