using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Msp.Testing.Fuzzing;
using Xunit.Abstractions;

namespace Msp.Testing.Races;

/// <summary>What a race needs: who sends, the request (the same one each time), and a count of what the write did.</summary>
public sealed record RaceSetup(HttpClient Client, Func<HttpRequestMessage> Request, Func<Task<long>> Effects);

/// <summary>One write endpoint hit with identical requests at once, and what must come of it. <see cref="Winners"/>:
/// how many may succeed (null: at least one); the others must answer one of <see cref="LoserStatuses"/>; the effects
/// counted must grow by <see cref="Effects"/> of the number of winners.</summary>
public sealed record Race(string Endpoint, string Why, Func<Task<RaceSetup>> Setup, int? Winners, int[] LoserStatuses, Func<int, long> Effects)
{
    private static readonly int[] Conflicts = [409, 412];

    /// <summary>One request wins; the others are told 409 or 412; one effect.</summary>
    public static Race Once(string endpoint, string why, Func<Task<RaceSetup>> setup, int[]? losers = null) =>
        new(endpoint, why, setup, 1, losers ?? Conflicts, _ => 1);

    /// <summary>Idempotent by design: every request succeeds and together they have <paramref name="effects"/> effects.</summary>
    public static Race Idempotent(string endpoint, string why, Func<Task<RaceSetup>> setup, long effects = 1) =>
        new(endpoint, why, setup, RaceContract.Concurrency, [], _ => effects);

    /// <summary>Every request asks for the same state: the first to commit makes the change (one effect); one that read
    /// the row before that commit is told 409 or 412, one that read it after finds nothing to change and succeeds.</summary>
    public static Race Converges(string endpoint, string why, Func<Task<RaceSetup>> setup, long effects = 1) =>
        new(endpoint, why, setup, null, Conflicts, _ => effects);

    /// <summary>Each request is a new thing by design (a reply, a time entry): every one that succeeds adds one; those
    /// that lose a race on the same row are told 409 or 412.</summary>
    public static Race Appends(string endpoint, string why, Func<Task<RaceSetup>> setup) =>
        new(endpoint, why, setup, null, Conflicts, winners => winners);
}

/// <summary>The race suite: each write endpoint of a service hit with <see cref="Concurrency"/> identical requests at
/// the same moment. Never a 5xx; every refusal a problem document; exactly the effect the endpoint's design allows (one,
/// or one per request where every request is a new thing). A write endpoint without a declared race is still hit at
/// once with its generated baseline request (see <see cref="FuzzPlan"/>), so that an endpoint added later is raced for
/// 5xx without editing the test.</summary>
public abstract class RaceContract(ITestOutputHelper output)
{
    public const int Concurrency = 8;

    /// <summary>The races of the service's write endpoints, by endpoint (<c>POST /api/tickets/{id}/status</c>).</summary>
    protected abstract IEnumerable<Race> Races();

    /// <summary>The service's OpenAPI document, to find the write endpoints no race names.</summary>
    protected abstract Task<JsonNode> DocumentAsync();

    /// <summary>A client of staff who may call every endpoint, for the generated races.</summary>
    protected abstract Task<HttpClient> StaffAsync();

    [Fact]
    public async Task IdenticalConcurrentWrites_HaveOneEffect_AndTheOthersAre409Or412_NeverA5xx()
    {
        var failures = new List<string>();
        var races = Races().ToList();
        foreach (var race in races)
        {
            var setup = await race.Setup();
            var before = await setup.Effects();
            var answers = await AllAtOnceAsync(setup.Client, setup.Request);
            var after = await setup.Effects();
            var winners = answers.Count(a => a.Status is >= 200 and < 300);
            var summary = $"{race.Endpoint} ({race.Why}): {string.Join(", ", answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"))}, effects {after - before}";
            output.WriteLine(summary);
            failures.AddRange(Broken(answers).Select(b => $"{summary}: {b}"));
            if (race.Winners is { } expected ? winners != expected : winners == 0)
            {
                failures.Add($"{summary}: expected {race.Winners?.ToString() ?? "at least one"} to succeed");
            }

            if (answers.FirstOrDefault(a => a.Status is >= 400 and < 500 && !race.LoserStatuses.Contains(a.Status)) is { Status: > 0 } odd)
            {
                failures.Add($"{summary}: a loser answered {odd.Status}, not one of {string.Join('/', race.LoserStatuses)}: {odd.Body}");
            }

            if (after - before != race.Effects(winners))
            {
                failures.Add($"{summary}: expected {race.Effects(winners)} effects");
            }
        }

        var declared = races.Select(r => r.Endpoint).ToHashSet();
        var generated = ApiDescription.Read(await DocumentAsync()).Where(o => o.IsWrite && !declared.Contains($"{o.Method} {o.Path.TrimEnd('/')}")).ToList();
        var staff = await StaffAsync();
        var inputs = new FuzzInputs(new Dictionary<string, JsonNode?>(), new Dictionary<string, Guid>());
        foreach (var operation in generated)
        {
            var baseline = FuzzPlan.Cases(operation, inputs)[0];
            var answers = await AllAtOnceAsync(staff, baseline.Build);
            output.WriteLine($"{operation.Name} (no race declared; its generated request): {string.Join(", ", answers.Select(a => a.Status))}");
            failures.AddRange(Broken(answers).Select(b => $"{operation.Name}, generated request: {b}"));
        }

        output.WriteLine($"{races.Count} declared races and {generated.Count} generated ones, {Concurrency} requests each");
        failures.ShouldBeEmpty(string.Join('\n', failures));
    }

    private static IEnumerable<string> Broken(IEnumerable<Answer> answers)
    {
        foreach (var answer in answers)
        {
            if (answer.Status >= 500)
            {
                yield return $"{answer.Status}: {answer.Body}";
            }
            else if (answer.Status >= 400 && answer.ContentType != "application/problem+json")
            {
                yield return $"{answer.Status} without a problem document ({answer.ContentType ?? "no content type"})";
            }
        }
    }

    private sealed record Answer(int Status, string? ContentType, string Body);

    /// <summary>Sends the same request <see cref="Concurrency"/> times, all released at the same moment.</summary>
    private static async Task<Answer[]> AllAtOnceAsync(HttpClient client, Func<HttpRequestMessage> request)
    {
        using var start = new SemaphoreSlim(0);
        var sending = Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            using var message = request();
            await start.WaitAsync();
            using var response = await client.SendAsync(message);
            var body = await response.Content.ReadAsStringAsync();
            return new Answer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body.Length > 300 ? body[..300] : body);
        }).ToList();
        start.Release(Concurrency);
        return await Task.WhenAll(sending);
    }

    /// <summary>A JSON request, for the races' setups.</summary>
    public static Func<HttpRequestMessage> Json(HttpMethod method, string url, object? body = null, string? ifMatch = null, string? idempotencyKey = null) => () =>
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body, options: JsonSerializerOptions.Web) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        return request;
    };
}
