extern alias mail;

using System.Text.RegularExpressions;
using mail::Msp.Mail.Outbound;
using Msp.Testing;

namespace Msp.Mail.Tests.Outbound;

/// <summary>Every link a mail carries opens a page the web app really has: its path matches a route one of the web
/// app's pages declares (<c>@page</c> in services/Web), and its fragment names an element of that page.</summary>
public sealed partial class PortalPagesTests
{
    private static readonly Guid Id = Guid.Parse("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");

    public static TheoryData<string, string> Links => new()
    {
        { "invitation", PortalPages.AcceptInvitation("a token/with+signs") },
        { "password reset", PortalPages.ResetPassword("a token/with+signs") },
        { "ticket", PortalPages.Ticket(Id) },
        { "rating", PortalPages.Rating(Id) },
        { "invoice", PortalPages.Invoice(Id) },
        { "block hours", PortalPages.BlockHours },
        { "staff ticket", PortalPages.DeskTicket(Id) },
        { "staff block hours", PortalPages.ConsoleClientContracts(Id) },
    };

    [Theory]
    [MemberData(nameof(Links))]
    public void EveryMailLink_OpensAPageOfTheWebApp(string mail, string link)
    {
        var path = link.Split('?', '#')[0];
        var pages = Pages().Where(p => p.Routes.Any(r => Matches(r, path))).ToList();
        pages.ShouldHaveSingleItem($"the {mail} mail links {path}, which no page of services/Web declares");
        if (link.Split('#') is [_, var fragment])
        {
            pages[0].Markup.ShouldContain($"id=\"{fragment}\"", customMessage: $"the {mail} mail's link names #{fragment}, which its page lacks");
        }
    }

    [Fact]
    public void TokensInLinks_AreEscaped() =>
        PortalPages.ResetPassword("a/b+c=").ShouldBe("/account/reset?token=a%2Fb%2Bc%3D");

    private static List<(string[] Routes, string Markup)> Pages() =>
        [.. Directory.EnumerateFiles(Path.Combine(TestServers.RepoRoot, "services", "Web"), "*.razor", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Select(File.ReadAllText)
            .Select(markup => (PageDirective().Matches(markup).Select(m => m.Groups[1].Value).ToArray(), markup))
            .Where(p => p.Item1.Length > 0)];

    /// <summary>Whether <paramref name="path"/> fits a route template: literal segments equal, <c>{Name:guid}</c> a GUID,
    /// any other parameter one segment.</summary>
    private static bool Matches(string route, string path)
    {
        var expected = route.Trim('/').Split('/');
        var actual = path.Trim('/').Split('/');
        return expected.Length == actual.Length && expected.Zip(actual).All(pair => pair.First switch
        {
            var p when p.StartsWith('{') && p.Contains(":guid") => Guid.TryParse(pair.Second, out _),
            var p when p.StartsWith('{') => pair.Second.Length > 0,
            var p => string.Equals(p, pair.Second, StringComparison.OrdinalIgnoreCase),
        });
    }

    [GeneratedRegex("^@page \"([^\"]+)\"", RegexOptions.Multiline)]
    private static partial Regex PageDirective();
}
