using System.Net;
using System.Text.RegularExpressions;

namespace Msp.Bench;

/// <summary>The portal phase: signed-in clients browsing the web app through the gateway as a browser does (a cookie
/// session each, forms with their antiforgery tokens): their ticket list, a ticket page, a reply. Latency is the
/// page's, from the request to its last byte.</summary>
public sealed partial class Load
{
    private Browser[]? browsers;

    public async Task<PhaseResult> PortalAsync()
    {
        var clients = data.Clients.Take(options.PortalClients).ToArray();
        browsers = await Task.WhenAll(clients.Select(async c => await Browser.SignInAsync(gateway.BaseAddress!, c)));
        Console.WriteLine($"  {browsers.Length} clients signed in to the portal");
        return await RunAsync($"portal: signed-in clients browsing, {options.ThinkTime.TotalSeconds:0.#} s between pages", browsers.Length,
            [("portal list", 4, PortalList), ("portal ticket page", 4, PortalTicket), ("portal reply", 1, PortalReply)], options.ThinkTime);
    }

    private Browser BrowserOf(int worker) => browsers![worker % browsers.Length];

    private async Task<bool> PortalList(int worker, Random random)
    {
        var browser = BrowserOf(worker);
        var (ok, html) = await browser.GetAsync("/portal?show=open");
        browser.Remember(TicketLinks().Matches(html).Select(m => Guid.Parse(m.Groups[1].Value)));
        return ok;
    }

    private async Task<bool> PortalTicket(int worker, Random random)
    {
        var browser = BrowserOf(worker);
        if (browser.AnyTicket(random) is not { } id)
        {
            return await PortalList(worker, random);
        }

        return (await browser.GetAsync($"/portal/tickets/{id}")).Ok;
    }

    private async Task<bool> PortalReply(int worker, Random random)
    {
        var browser = BrowserOf(worker);
        if (browser.AnyTicket(random) is not { } id)
        {
            return await PortalList(worker, random);
        }

        // The reply form of the ticket page, as a browser posts it: its hidden fields (handler, antiforgery) and the text.
        var (ok, html) = await browser.GetAsync($"/portal/tickets/{id}");
        if (!ok || Form(html, "reply") is not { } hidden)
        {
            return ok; // a ticket the client cannot answer any more (closed): the page itself was served
        }

        var form = new MultipartFormDataContent();
        foreach (var (name, value) in hidden)
        {
            form.Add(new StringContent(value), name);
        }

        form.Add(new StringContent("Any news? It is still happening."), "Reply.Body");
        return await browser.PostAsync($"/portal/tickets/{id}", form);
    }

    /// <summary>The hidden fields of the form whose Blazor handler is <paramref name="handler"/>.</summary>
    private static List<(string Name, string Value)>? Form(string html, string handler)
    {
        foreach (Match form in FormElement().Matches(html))
        {
            var fields = HiddenInput().Matches(form.Value).Select(m => (WebUtility.HtmlDecode(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value))).ToList();
            if (fields.Any(f => f.Item1 == "_handler" && f.Item2 == handler))
            {
                return fields;
            }
        }

        return null;
    }

    [GeneratedRegex("href=\"/portal/tickets/([0-9a-f-]{36})\"")]
    private static partial Regex TicketLinks();

    [GeneratedRegex("<form[^>]*>.*?</form>", RegexOptions.Singleline)]
    private static partial Regex FormElement();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenInput();

    /// <summary>One client's browser: its own cookies (the session and the antiforgery cookie), no redirects followed.</summary>
    private sealed class Browser(HttpClient http)
    {
        private readonly List<Guid> tickets = [];

        public static async Task<Browser> SignInAsync(Uri gateway, Account account)
        {
            var http = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
            {
                BaseAddress = gateway,
                Timeout = TimeSpan.FromSeconds(30),
            };
            var browser = new Browser(http);
            var (_, page) = await browser.GetAsync("/account/signin");
            var fields = Form(page, "sign-in") ?? throw new InvalidOperationException("The sign-in page has no sign-in form.");
            using var form = new FormUrlEncodedContent([.. fields.Select(f => KeyValuePair.Create(f.Name, f.Value)),
                KeyValuePair.Create("Form.Email", account.Email), KeyValuePair.Create("Form.Password", Seeding.Password)]);
            using var response = await http.PostAsync("/account/signin", form);
            if (response.StatusCode != HttpStatusCode.Redirect && response.StatusCode != HttpStatusCode.Found && response.StatusCode != HttpStatusCode.SeeOther)
            {
                throw new InvalidOperationException($"Signing in {account.Email} to the portal answered {(int)response.StatusCode}.");
            }

            return browser;
        }

        public async Task<(bool Ok, string Html)> GetAsync(string url)
        {
            using var response = await http.GetAsync(url);
            return (response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        /// <summary>A form post: a redirect back to the page (post, redirect, get) or the page itself answers success.</summary>
        public async Task<bool> PostAsync(string url, HttpContent content)
        {
            using var response = await http.PostAsync(url, content);
            await response.Content.ReadAsStringAsync();
            return response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther;
        }

        /// <summary>Reads a server-sent event stream until <paramref name="stop"/>, handing each <c>ticket</c>
        /// event's id to <paramref name="onTicket"/>.</summary>
        public async Task ReadStreamAsync(string url, Func<Guid, Task> onTicket, CancellationToken stop)
        {
            try
            {
                using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, stop);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop));
                string? kind = null;
                while (await reader.ReadLineAsync(stop) is { } line)
                {
                    if (line.StartsWith("event: ", StringComparison.Ordinal))
                    {
                        kind = line[7..];
                    }
                    else if (line.StartsWith("data: ", StringComparison.Ordinal) && kind == "ticket" && Guid.TryParse(line[6..], out var id))
                    {
                        _ = onTicket(id);
                    }
                    else if (line.Length == 0)
                    {
                        kind = null;
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        /// <summary>Keeps a live stream open and reads it, as an open queue page does.</summary>
        public Task DrainStreamAsync(string url, CancellationToken stop) => ReadStreamAsync(url, _ => Task.CompletedTask, stop);

        public void Remember(IEnumerable<Guid> seen)
        {
            lock (tickets)
            {
                tickets.AddRange(seen.Except(tickets));
            }
        }

        public Guid? AnyTicket(Random random)
        {
            lock (tickets)
            {
                return tickets.Count == 0 ? null : tickets[random.Next(tickets.Count)];
            }
        }
    }
}
