using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Msp.Bench;

/// <summary>The desk phase: technicians working their queues in the web app (the open queue, a ticket page, a reply,
/// an internal note, a time entry, each through the page's own form) beside clients browsing the portal, each with an
/// open live stream as their queue page keeps. Meanwhile a probe opens a ticket through the API twice a second and
/// times how long it takes to appear in an open queue: until a technician's live stream names it and the queue page
/// fetched then lists it (what page.js does).</summary>
public sealed partial class Load
{
    private Browser[]? desks;

    public async Task<PhaseResult> DeskAsync()
    {
        var technicians = data.Technicians;
        desks = await Task.WhenAll(Enumerable.Range(0, options.DeskTechnicians).Select(async i => await Browser.SignInAsync(gateway.BaseAddress!, technicians[i % technicians.Count])));
        browsers ??= await Task.WhenAll(data.Clients.Take(options.PortalClients).Select(async c => await Browser.SignInAsync(gateway.BaseAddress!, c)));
        Console.WriteLine($"  {desks.Length} technicians at the desk, {browsers.Length} clients in the portal");

        using var stop = new CancellationTokenSource();
        var appeared = new OperationStats("change -> open queue");
        var streams = desks.Skip(1).Select(d => d.DrainStreamAsync("/live/tickets", stop.Token)).ToList();
        var probe = ProbeAsync(desks[0], appeared, stop.Token);
        var result = await RunAsync($"desk: technicians working beside clients, {options.ThinkTime.TotalSeconds:0.#} s between pages", desks.Length + browsers.Length,
        [
            ("desk queue", 8, DeskQueue), ("desk ticket page", 6, DeskTicket), ("desk reply", 2, (w, r) => DeskCompose(w, r, "reply")),
            ("desk note", 2, (w, r) => DeskCompose(w, r, "note")), ("desk time", 2, DeskTime),
            ("portal list", 22, PortalList), ("portal ticket page", 22, PortalTicket), ("portal reply", 6, PortalReply),
        ], options.ThinkTime);
        await stop.CancelAsync();
        await Task.WhenAll([probe, .. streams]);
        var change = appeared.Result(options.Duration + options.WarmUp);
        Console.WriteLine($"  {change.Operation}: {change.Requests} tickets, {change.Errors} not seen within 10 s; p50 {change.P50Ms} ms, p95 {change.P95Ms} ms, p99 {change.P99Ms} ms, max {change.MaxMs} ms");
        return result with { Operations = [.. result.Operations, change] };
    }

    private Browser DeskOf(int worker) => desks![worker % desks.Length];

    private async Task<bool> DeskQueue(int worker, Random random)
    {
        var desk = DeskOf(worker);
        var (ok, html) = await desk.GetAsync("/desk?view=open");
        desk.Remember(DeskLinks().Matches(html).Select(m => Guid.Parse(m.Groups[1].Value)));
        return ok;
    }

    private async Task<bool> DeskTicket(int worker, Random random)
    {
        var desk = DeskOf(worker);
        return desk.AnyTicket(random) is { } id ? (await desk.GetAsync($"/desk/tickets/{id}")).Ok : await DeskQueue(worker, random);
    }

    /// <summary>A reply to the client or an internal note, posted through the ticket page's compose form.</summary>
    private async Task<bool> DeskCompose(int worker, Random random, string kind)
    {
        var desk = DeskOf(worker);
        if (desk.AnyTicket(random) is not { } id)
        {
            return await DeskQueue(worker, random);
        }

        var (ok, html) = await desk.GetAsync($"/desk/tickets/{id}");
        if (!ok || Form(html, "compose") is not { } hidden)
        {
            return ok; // a closed ticket has no compose box: the page itself was served
        }

        using var form = new FormUrlEncodedContent([.. hidden.Select(f => KeyValuePair.Create(f.Name, f.Value)),
            KeyValuePair.Create("Compose.Body", kind == "note" ? "Checked the logs; nothing unusual." : "We are looking into it."), KeyValuePair.Create("Compose.Kind", kind)]);
        return await desk.PostAsync($"/desk/tickets/{id}", form);
    }

    /// <summary>A time entry, through the ticket page's time form.</summary>
    private async Task<bool> DeskTime(int worker, Random random)
    {
        var desk = DeskOf(worker);
        if (desk.AnyTicket(random) is not { } id)
        {
            return await DeskQueue(worker, random);
        }

        var (ok, html) = await desk.GetAsync($"/desk/tickets/{id}");
        if (!ok || Form(html, "time-entry") is not { } hidden)
        {
            return ok;
        }

        using var form = new FormUrlEncodedContent([.. hidden.Select(f => KeyValuePair.Create(f.Name, f.Value)),
            KeyValuePair.Create("Entry.Minutes", (5 + random.Next(40)).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            KeyValuePair.Create("Entry.WorkType", "Remote"), KeyValuePair.Create("Entry.Billable", "true"),
            KeyValuePair.Create("Entry.WorkDate", DateTime.UtcNow.ToString("yyyy-MM-dd")), KeyValuePair.Create("Entry.Posted", "true")]);
        return await desk.PostAsync($"/desk/tickets/{id}", form);
    }

    /// <summary>Opens a ticket twice a second as a client (API) and times its way into an open queue: the live stream
    /// of a technician who serves every tenant names it, then the queue page, fetched as page.js does, lists it.</summary>
    private async Task ProbeAsync(Browser desk, OperationStats appeared, CancellationToken stop)
    {
        var pending = new ConcurrentDictionary<Guid, long>();
        var seen = desk.ReadStreamAsync("/live/tickets", async id =>
        {
            if (!pending.TryGetValue(id, out var opened))
            {
                return;
            }

            var (ok, html) = await desk.GetAsync("/desk?view=open&sort=newest");
            if (ok && html.Contains($"/desk/tickets/{id}", StringComparison.Ordinal) && pending.TryRemove(id, out _))
            {
                appeared.Record(Report.Elapsed(opened), true);
            }
        }, stop);
        var random = new Random(7);
        while (!stop.IsCancellationRequested)
        {
            var client = data.Clients[random.Next(data.Clients.Count)];
            try
            {
                using var response = await SendAsync(client, HttpMethod.Post, "/api/tickets",
                    new { subject = "Probe: screen flickers", description = "Opened by the desk probe.", impact = "Medium", urgency = "Medium" });
                if (response.IsSuccessStatusCode)
                {
                    pending[(await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid()] = Stopwatch.GetTimestamp();
                }
            }
            catch (HttpRequestException)
            {
            }

            foreach (var (id, opened) in pending)
            {
                if (Report.Elapsed(opened) > 10_000 && pending.TryRemove(id, out _))
                {
                    appeared.Record(10_000, false);
                }
            }

            try
            {
                await Task.Delay(500, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await seen;
    }

    [GeneratedRegex("href=\"/desk/tickets/([0-9a-f-]{36})\"")]
    private static partial Regex DeskLinks();
}
