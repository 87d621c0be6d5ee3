using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Msp.ServiceDefaults.Identity;
using Xunit.Abstractions;

namespace Msp.Testing.Fuzzing;

/// <summary>Hostile input over every operation of a service, generated from the service's own OpenAPI document, so that
/// an endpoint added later is fuzzed without editing the test. Every operation gets malformed values for each of its
/// parameters and body fields, and broken bodies, as a client user and as staff (a bounded, seeded selection per
/// operation and caller: the same run every time). Every answer must be below 500; every 4xx a problem document
/// (whatever the caller accepts); and a refused request must leave every row of the database as it was.</summary>
public abstract partial class FuzzContract<TProgram>(ServiceFactory<TProgram> factory, ITestOutputHelper output) where TProgram : class
{
    /// <summary>Fixed, so that a failure can be repeated; change it to explore other selections.</summary>
    public const int Seed = 20261127;

    /// <summary>A new tenant the service knows, ready to own resources.</summary>
    protected abstract Task<Guid> CreateTenantAsync();

    /// <summary>Resources of the tenant, made with the very clients that will fuzz (so that the client user sees them),
    /// by the route resource that identifies them (as the access matrix names them: <c>/api/tickets</c> for
    /// <c>/api/tickets/{id}/...</c>). A route resource missing here gets a random id.</summary>
    protected abstract Task<IReadOnlyDictionary<string, Guid>> SeedAsync(Guid tenantId, HttpClient client, HttpClient staff);

    /// <summary>A client signed in as <paramref name="caller"/>.</summary>
    protected abstract Task<HttpClient> SignedInAsync(Caller caller);

    /// <summary>Values for fields and parameters by name (<c>tenantId</c>, <c>timeZone</c>), so that the baseline requests
    /// reach past the first validation; everything else comes from the schemas.</summary>
    protected virtual IReadOnlyDictionary<string, JsonNode?> KnownValues(Guid tenantId, IReadOnlyDictionary<string, Guid> resources) =>
        new Dictionary<string, JsonNode?> { ["tenantId"] = tenantId.ToString() };

    /// <summary>The least number of operations the document has, so that an empty document cannot pass.</summary>
    protected abstract int MinimumOperations { get; }

    /// <summary>Requests per operation and caller.</summary>
    protected virtual int CasesPerOperation => 32;

    /// <summary>Requests per operation for a caller whose baseline request is refused (401, 403): the refusal comes
    /// before the input is read, so a few suffice.</summary>
    protected virtual int CasesWhenForbidden => 3;

    /// <summary>Operations whose refusals write by design (a failed sign-in counts towards the lockout); their refused
    /// requests are not held to "nothing changed".</summary>
    protected virtual bool RefusalMayWrite(ApiOperation operation) => false;

    /// <summary>Waits for what an accepted request started in the background (an invoice run) to end, so that its later
    /// writes are not taken for those of a refused request that follows.</summary>
    protected virtual Task AcceptedWorkDoneAsync(ApiOperation operation) => Task.CompletedTask;

    [Fact]
    public async Task EveryOperation_AnswersMalformedInputBelow500_WithAProblemDocument_AndChangesNothingWhenRefused()
    {
        var clock = Stopwatch.StartNew();
        var document = await factory.CreateClient().GetFromJsonAsync<JsonNode>("/openapi/v1.json");
        var operations = ApiDescription.Read(document!);
        operations.Count.ShouldBeGreaterThanOrEqualTo(MinimumOperations);
        Undescribed(operations).ShouldBeEmpty("every endpoint is in the OpenAPI document, so the fuzzer reaches it");

        var tenant = await CreateTenantAsync();
        var callers = new (string Role, HttpClient Client)[]
        {
            (MspRoles.ClientUser, await SignedInAsync(Caller.Client(MspRoles.ClientUser, tenant))),
            (MspRoles.Admin, await SignedInAsync(Caller.Staff(MspRoles.Admin))),
        };
        var resources = await SeedAsync(tenant, callers[0].Client, callers[1].Client);
        var inputs = new FuzzInputs(KnownValues(tenant, resources), resources);
        await using var fingerprint = await DatabaseFingerprint.OpenAsync(factory.Database);
        var state = await fingerprint.TakeAsync();
        var failures = new List<string>();
        var requests = 0;
        var statuses = new SortedDictionary<int, int>();
        foreach (var operation in operations)
        {
            foreach (var (role, client) in callers)
            {
                var chosen = FuzzPlan.Choose(FuzzPlan.Cases(operation, inputs), CasesPerOperation, FuzzPlan.Seed(operation.Name + role, Seed));
                for (var i = 0; i < chosen.Count; i++)
                {
                    var @case = chosen[i];
                    var what = $"{operation.Name} as {role}, {@case.Description}";
                    using var request = @case.Build();
                    if (i % 4 == 3)
                    {
                        request.Headers.TryAddWithoutValidation("Accept", "application/xml"); // a problem document all the same
                    }

                    HttpResponseMessage response;
                    try
                    {
                        response = await client.SendAsync(request);
                    }
                    catch (Exception e)
                    {
                        failures.Add($"{what}: the request failed in the host: {e.GetType().Name}: {e.Message}");
                        state = await fingerprint.TakeAsync();
                        continue;
                    }

                    requests++;
                    using (response)
                    {
                        var status = (int)response.StatusCode;
                        statuses[status] = statuses.GetValueOrDefault(status) + 1;
                        var body = await response.Content.ReadAsStringAsync();
                        if (status >= 500)
                        {
                            failures.Add($"{what}: {status} {Shorten(body)}");
                        }
                        else if (status >= 400 && ProblemFault(response, body) is { } fault)
                        {
                            failures.Add($"{what}: {status} is not a problem document ({fault}): {Shorten(body)}");
                        }

                        if (status < 400)
                        {
                            await AcceptedWorkDoneAsync(operation);
                        }

                        var after = await fingerprint.TakeAsync();
                        if (status >= 400 && after != state && !RefusalMayWrite(operation))
                        {
                            failures.Add($"{what}: refused with {status}, yet {DatabaseFingerprint.Difference(state, after)} changed");
                        }

                        state = after;
                        if (i == 0 && response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                        {
                            chosen = chosen.Take(CasesWhenForbidden).ToList();
                        }
                    }
                }
            }
        }

        var summary = $"{typeof(TProgram).Assembly.GetName().Name}: fuzzed {operations.Count} operations with {requests} requests " +
            $"as {string.Join(" and ", callers.Select(c => c.Role))} in {clock.Elapsed.TotalSeconds:0.0} s; answers: " +
            string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"));
        output.WriteLine(summary);
        Console.WriteLine(summary);
        foreach (var failure in failures)
        {
            output.WriteLine(failure);
        }

        failures.ShouldBeEmpty($"{failures.Count} of {requests} requests broke the rules (first 40 shown):\n{string.Join('\n', failures.Take(40))}\n");
    }

    /// <summary>Why an error answer is not a problem document, or null when it is one.</summary>
    private static string? ProblemFault(HttpResponseMessage response, string body)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"content type {response.Content.Headers.ContentType?.ToString() ?? "none"}";
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("status", out var status) && status.GetInt32() == (int)response.StatusCode
                ? null
                : "no status, or another one than the answer's";
        }
        catch (JsonException)
        {
            return "not JSON";
        }
    }

    /// <summary>The service's API endpoints that its OpenAPI document does not describe.</summary>
    private List<string> Undescribed(IReadOnlyList<ApiOperation> operations)
    {
        var described = operations.Select(o => $"{o.Method} {o.Path.TrimEnd('/')}").ToHashSet();
        return [.. factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>() is not null)
            .SelectMany(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods
                .Select(m => $"{m} {Constraint().Replace(e.RoutePattern.RawText!, "{$1}").TrimEnd('/')}"))
            .Where(e => !described.Contains(e))];
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;

    [GeneratedRegex(@"\{([^}:?]+)[^}]*\}")]
    private static partial Regex Constraint();
}
