using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;

namespace Msp.Bench;

/// <summary>What the run's page showed: its progress bar each time it changed (from the click), how long until it said the
/// month was invoiced, that sentence, and the screenshots taken mid-run and at the end.</summary>
public sealed record PageRun(TimeSpan Elapsed, string Outcome, IReadOnlyList<(TimeSpan At, int Value, int Max)> Progress, string MidRun, string End);

/// <summary>The console's invoicing page in Debian's headless Chromium, as an operator uses it: the Admin signs in, asks
/// for a month's run, and the run's page follows it (streamed by the server, decision 0112) until it ends.</summary>
public sealed class InvoicePage(BenchOptions options)
{
    public async Task<PageRun> RunAsync(string period)
    {
        var shots = Path.Combine(options.Output, "screenshots");
        Directory.CreateDirectory(shots);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = options.Gateway.TrimEnd('/'),
            Locale = "en-GB",
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            TimezoneId = "Europe/Paris",
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);

        await page.GotoAsync("/account/signin");
        await page.GetByLabel("E-mail address").FillAsync(options.AdminEmail);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(options.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/signin"));

        await page.GotoAsync("/console/invoicing");
        await page.GetByLabel("Month", new() { Exact = true }).First.FillAsync(period);
        var clock = Stopwatch.StartNew();
        await page.GetByRole(AriaRole.Button, new() { Name = "Run the month" }).ClickAsync();

        var progress = new List<(TimeSpan, int, int)>();
        var (midRun, end) = (Path.Combine(shots, "console-invoice-run-mid.png"), Path.Combine(shots, "console-invoice-run-end.png"));
        var tookMidRun = false;
        while (true)
        {
            // The bar and the status as the page shows them now (the server streams each new state into the same page).
            var state = await page.EvaluateAsync<string[]>("""
                () => {
                    const bar = document.getElementById('run-bar');
                    const status = document.querySelector('[role=status]');
                    return [bar?.getAttribute('value') ?? '', bar?.getAttribute('max') ?? '', status?.innerText.trim() ?? ''];
                }
                """);
            if (int.TryParse(state[0], CultureInfo.InvariantCulture, out var value) && int.TryParse(state[1], CultureInfo.InvariantCulture, out var max)
                && (progress.Count == 0 || progress[^1].Item2 != value || progress[^1].Item3 != max))
            {
                progress.Add((clock.Elapsed, value, max));
                if (!tookMidRun && value > 0 && value * 10 >= max * 3 && value < max)
                {
                    await page.ScreenshotAsync(new PageScreenshotOptions { Path = midRun, FullPage = true });
                    tookMidRun = true;
                }
            }

            if (state[2].Contains("is invoiced", StringComparison.Ordinal) || state[2].Contains("stopped", StringComparison.Ordinal))
            {
                var elapsed = clock.Elapsed;
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = end, FullPage = true });
                if (!state[2].Contains("is invoiced", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"The run's page says: {state[2]}");
                }

                return new PageRun(elapsed, state[2], progress, tookMidRun ? midRun : "(none: the bar never stood between 30 % and the end)", end);
            }

            if (clock.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException($"The run's page still says \"{state[2]}\" after ten minutes.");
            }

            await Task.Delay(50);
        }
    }
}
