using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Msp.Bench;

/// <summary>Closed-loop load: each of N workers sends one request after the other for the phase's duration, as the
/// operation mix says. Latency is measured from sending to the last byte of the answer.</summary>
public sealed partial class Load(HttpClient gateway, DataSet data, BenchOptions options)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, List<Guid>> openedBy = new();

    public delegate Task<bool> Operation(int worker, Random random);

    public Task<PhaseResult> CreationAsync() => RunAsync("ticket creation", options.CreateConcurrency, [("create", 1, Create)]);

    public Task<PhaseResult> ListAndSearchAsync() => RunAsync("technicians listing and searching", options.ReadConcurrency,
        [("list", 1, List), ("list-filtered", 1, ListFiltered), ("search", 1, Search)]);

    public Task<PhaseResult> MixedAsync() => RunAsync("mixed day", options.MixedConcurrency,
        [("create", 3, Create), ("reply", 3, Reply), ("list", 2, List), ("search", 1, Search), ("update", 2, Update)]);

    /// <summary>Runs the mix with <paramref name="concurrency"/> workers; with a <paramref name="think"/> time, each
    /// worker pauses between two requests for a random 0.5 to 1.5 times it, as a person reads a page (not counted), and
    /// the workers start spread over one think time, as people do: fifty workers sending their first page at the same
    /// instant would queue behind each other, a burst no group of people makes (it cost one page in ten 0.2-0.5 s).</summary>
    private async Task<PhaseResult> RunAsync(string phase, int concurrency, (string Name, int Weight, Operation Run)[] mix, TimeSpan think = default)
    {
        var stats = mix.ToDictionary(m => m.Name, m => new OperationStats(m.Name));
        var weighted = mix.SelectMany(m => Enumerable.Repeat(m, m.Weight)).ToArray();
        await WarmUpAsync(mix, concurrency, think);
        var cpuBefore = Report.CpuByProcess(options.Pids);
        var workBefore = await DatabaseWork.ReadAsync(options.TicketsDatabase);
        var stop = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            await Task.Delay(think * random.NextDouble());
            while (stop.Elapsed < options.Duration)
            {
                var (name, _, run) = weighted[random.Next(weighted.Length)];
                var start = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    ok = await run(w, random);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    ok = false;
                }

                stats[name].Record(Report.Elapsed(start), ok);
                if (think > TimeSpan.Zero)
                {
                    await Task.Delay(think * (0.5 + random.NextDouble()));
                }
            }
        }));
        await Task.WhenAll(workers);
        var cpu = Report.CpuSpent(cpuBefore, Report.CpuByProcess(options.Pids));
        var operations = stats.Values.Select(s => s.Result(stop.Elapsed)).ToList();
        var requests = operations.Sum(o => o.Requests);
        var perRequest = DatabaseWork.PerRequest(workBefore, await DatabaseWork.ReadAsync(options.TicketsDatabase), requests);
        perRequest["perRequest.cpuMs"] = Report.PlatformCpuMs(cpu, requests);
        var result = new PhaseResult(phase, Math.Round(stop.Elapsed.TotalSeconds, 1), concurrency, operations, cpu.Concat(perRequest).ToDictionary());
        Report.Print(result);
        Report.PrintCpu(cpu, stop.Elapsed.TotalSeconds);
        DatabaseWork.Print(perRequest);
        return result;
    }

    /// <summary>The same load, untimed, for <c>--warmup</c> seconds first: a process just started runs unoptimised
    /// code until the JIT's tiers catch up, and opens its connections. The figures are of the running platform. With a
    /// think time the warm-up keeps the same pace: at full speed its replies would leave the mail service a backlog of
    /// notifications still being sent during the timed phase.</summary>
    private async Task WarmUpAsync((string Name, int Weight, Operation Run)[] mix, int concurrency, TimeSpan think)
    {
        var weighted = mix.SelectMany(m => Enumerable.Repeat(m, m.Weight)).ToArray();
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var random = new Random(-1 - w);
            await Task.Delay(think * random.NextDouble());
            while (stop.Elapsed < options.WarmUp)
            {
                try
                {
                    await weighted[random.Next(weighted.Length)].Run(w, random);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                }

                if (think > TimeSpan.Zero)
                {
                    await Task.Delay(think * (0.5 + random.NextDouble()));
                }
            }
        })));
    }

    private async Task<bool> Create(int worker, Random random)
    {
        var client = data.Clients[random.Next(data.Clients.Count)];
        var body = new
        {
            subject = $"{Seeding.Things[random.Next(Seeding.Things.Length)]} {Seeding.Troubles[random.Next(Seeding.Troubles.Length)]}",
            description = "Reported through the portal during the benchmark.",
            impact = (random.Next(3)) switch { 0 => "High", 1 => "Medium", _ => "Low" },
            urgency = (random.Next(3)) switch { 0 => "High", 1 => "Medium", _ => "Low" },
        };
        using var response = await SendAsync(client, HttpMethod.Post, "/api/tickets", body);
        if (!response.IsSuccessStatusCode)
        {
            return false;
        }

        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var mine = openedBy.GetOrAdd(client.Id, _ => []);
        lock (mine)
        {
            mine.Add(id);
        }

        return true;
    }

    private async Task<bool> Reply(int worker, Random random)
    {
        var client = data.Clients[random.Next(data.Clients.Count)];
        if (!openedBy.TryGetValue(client.Id, out var mine) || mine.Count == 0)
        {
            return await Create(worker, random);
        }

        Guid id;
        lock (mine)
        {
            id = mine[random.Next(mine.Count)];
        }

        using var response = await SendAsync(client, HttpMethod.Post, $"/api/tickets/{id}/comments", new { body = "Any news? It is still happening." });
        return response.IsSuccessStatusCode;
    }

    private Account Technician(Random random) => data.Technicians[random.Next(data.Technicians.Count)];

    private async Task<bool> List(int worker, Random random)
    {
        using var response = await SendAsync(Technician(random), HttpMethod.Get, "/api/tickets?limit=50", null);
        return await DrainAsync(response);
    }

    private async Task<bool> ListFiltered(int worker, Random random)
    {
        var tenant = data.Tenants[random.Next(data.Tenants.Count)];
        var status = random.Next(2) == 0 ? "Open,InProgress,New" : "WaitingOnCustomer";
        using var response = await SendAsync(Technician(random), HttpMethod.Get, $"/api/tickets?tenantId={tenant.Id}&status={status}&limit=50", null);
        return await DrainAsync(response);
    }

    private async Task<bool> Search(int worker, Random random)
    {
        var word = data.SearchWords[random.Next(data.SearchWords.Length)];
        var tenant = random.Next(2) == 0 ? $"&tenantId={data.Tenants[random.Next(data.Tenants.Count)].Id}" : "";
        using var response = await SendAsync(Technician(random), HttpMethod.Get, $"/api/tickets?q={word}{tenant}&limit=25", null);
        return await DrainAsync(response);
    }

    private async Task<bool> Update(int worker, Random random)
    {
        var owner = data.Clients[random.Next(data.Clients.Count)];
        if (!openedBy.TryGetValue(owner.Id, out var theirs) || theirs.Count == 0)
        {
            return await List(worker, random);
        }

        Guid id;
        lock (theirs)
        {
            id = theirs[random.Next(theirs.Count)];
        }

        using var response = await SendAsync(Technician(random), HttpMethod.Patch, $"/api/tickets/{id}",
            new { urgency = random.Next(2) == 0 ? "High" : "Low" });
        return response.IsSuccessStatusCode;
    }

    private async Task<HttpResponseMessage> SendAsync(Account account, HttpMethod method, string url, object? body)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Token);
        var response = await gateway.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        request.Dispose();
        return response;
    }

    private static Task<bool> DrainAsync(HttpResponseMessage response) => Task.FromResult(response.IsSuccessStatusCode);
}
