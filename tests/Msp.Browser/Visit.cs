using System.Text.RegularExpressions;

namespace Msp.Browser;

/// <summary>One person's browser: a page at one width and in one language. Every screen it shows is checked for
/// text missing from our translations (rendered as ⟦Key⟧) and for script or style the page's policy refused, and
/// photographed.</summary>
public sealed partial class Visit(IBrowserContext context, IPage page, PortalFixture fixture, string locale, bool phone) : IAsyncDisposable
{
    private readonly List<string> refusals = [];
    private bool listening;

    public IPage Page => page;

    public IBrowserContext Context => context;

    public string Language => locale[..2];

    public bool Phone => phone;

    /// <summary>Fails on a missing translation or a refused script, then writes the screenshot
    /// <c>.msp/test/screenshots/{name}.{language}.{width}.png</c>.</summary>
    public async Task ShowsAsync(string name)
    {
        Listen();
        var html = await page.ContentAsync();
        var missing = MissingText().Matches(html).Select(m => m.Value).Distinct().ToList();
        missing.ShouldBeEmpty($"{name} ({locale}) shows text missing from our resources");
        refusals.ShouldBeEmpty($"{name} ({locale}): the content security policy refused something");
        (await StyledAsync()).ShouldBeTrue($"{name} ({locale}) has its stylesheets");
        (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"))
            .ShouldBeTrue($"{name} ({locale}) is wider than the {(phone ? 360 : 1280)} px window");
        // Named after the language the page speaks (a profile's language wins over the browser's).
        var shown = await page.EvaluateAsync<string>("() => document.documentElement.lang || ''") is { Length: >= 2 } lang ? lang[..2] : Language;
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(fixture.Screenshots, $"{name}.{shown}.{(phone ? 360 : 1280)}.png"),
            FullPage = true,
        });
    }

    /// <summary>Whether the page has both stylesheets with their rules, waiting for them a moment: a page reached by a
    /// form's post or an enhanced navigation may still be applying one when it is first shown.</summary>
    private async Task<bool> StyledAsync()
    {
        try
        {
            await page.WaitForFunctionAsync(
                "() => document.styleSheets.length >= 2 && Array.from(document.styleSheets).every(s => s.cssRules.length > 0)",
                null, new PageWaitForFunctionOptions { Timeout = 5_000 });
            return true;
        }
        catch (Exception e) when (e is PlaywrightException or System.TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Opens a path of the portal and waits until its page has loaded.</summary>
    public async Task<IResponse?> GoAsync(string path)
    {
        Listen();
        return await page.GotoAsync(path);
    }

    private void Listen()
    {
        if (listening)
        {
            return;
        }

        listening = true;
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                refusals.Add(message.Text);
            }
        };
    }

    [GeneratedRegex("⟦[^⟧]*⟧")]
    private static partial Regex MissingText();

    public async ValueTask DisposeAsync() => await context.CloseAsync();
}
