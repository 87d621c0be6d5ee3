using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Msp.Testing;
using Xunit.Abstractions;

namespace Msp.EndToEnd;

[Collection(nameof(PlatformCollection))]
public sealed class TenantsThroughTheGatewayTests(Platform platform, ITestOutputHelper output)
{
    private static readonly string[] Downstream = ["tickets", "slas", "billing"];

    private static object NewTenant(string slug) => new { name = "Acme " + slug, slug, timeZone = "Europe/Paris", country = "FR" };

    private static string Slug() => "e" + Guid.NewGuid().ToString("N")[..12];

    private Task<long> KnownIn(string service, Guid tenantId) =>
        platform.Databases[service].ScalarAsync<long>("SELECT count(*) FROM known_tenants WHERE id = $1", tenantId);

    private async Task<Guid> CreateAsync(string slug)
    {
        var response = await platform.Gateway.PostAsJsonAsync("/api/tenants", NewTenant(slug));
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task Ready_ToAnAdmin_AnswersOkAndListsEveryServicesState()
    {
        var response = await platform.Gateway.GetAsync("/health/ready");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var services = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!);
        services.Keys.ShouldBe([.. Platform.Services, "web"], ignoreOrder: true);
        foreach (var (name, service) in services)
        {
            service.GetProperty("status").GetString().ShouldBe("Healthy", name);
            var replicas = service.GetProperty("data").EnumerateObject().ToArray();
            replicas.Length.ShouldBe(Platform.ProcessesOf(name).Count(), name);
            foreach (var replica in replicas)
            {
                // Each process's own report: its database and its connection to the broker.
                var own = replica.Value.GetProperty("checks").EnumerateArray()
                    .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
                own["database"].ShouldBe("Healthy", $"{name} {replica.Name}");
                if (name != "web")
                {
                    own["masstransit-bus"].ShouldBe("Healthy", $"{name} {replica.Name}"); // the web app has no business events yet
                }
            }
        }
    }

    [Fact]
    public async Task Ready_ToAnyoneElse_AnswersOnlyThatThePlatformIsReady()
    {
        var (tenantId, _) = await platform.CreateTenantAsync();
        var (_, clientAdmin) = await platform.SignedInUserAsync("ClientAdmin", tenantId);

        foreach (var caller in new[] { platform.Anonymous(), clientAdmin })
        {
            var response = await caller.GetAsync("/health/ready");

            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await response.Content.ReadAsStringAsync()).ShouldBe("""{"status":"Healthy"}""");
        }
    }

    [Fact]
    public async Task ACreatedTenant_IsRecordedByTicketsSlasAndBillingWithinASecond()
    {
        var id = await CreateAsync(Slug());
        var watch = Stopwatch.StartNew();

        await Task.WhenAll(Downstream.Select(service => Eventually.HoldsAsync(
            async () => await KnownIn(service, id) == 1, TimeSpan.FromSeconds(1), $"{service} records the tenant within a second")));

        output.WriteLine($"all three services recorded the tenant {watch.ElapsedMilliseconds} ms after the 201");
        var fetched = await platform.Gateway.GetFromJsonAsync<JsonElement>($"/api/tenants/{id}");
        fetched.GetProperty("id").GetGuid().ShouldBe(id);
    }

    [Fact]
    public async Task WithRabbitMqStopped_CreatingStillSucceeds_AndTheEventIsDeliveredOncePerConsumerWhenItReturns()
    {
        await TestServers.PauseRabbitMqAsync();
        Guid id;
        try
        {
            id = await CreateAsync(Slug());
            (await platform.Databases["tenants"].ScalarAsync<long>(
                "SELECT count(*) FROM outbox WHERE tenant_id = $1 AND published_at IS NULL", id)).ShouldBe(1);
            foreach (var service in Downstream)
            {
                (await KnownIn(service, id)).ShouldBe(0);
            }
        }
        finally
        {
            await TestServers.ResumeRabbitMqAsync();
        }

        var took = await Task.WhenAll(Downstream.Select(service => Eventually.HoldsAsync(
            async () => await KnownIn(service, id) == 1, TimeSpan.FromSeconds(90), $"{service} records the tenant after RabbitMQ returns")));
        output.WriteLine($"delivered {took.Max().TotalSeconds:0.0} s after RabbitMQ started again");

        var eventId = await platform.Databases["tenants"].ScalarAsync<Guid>("SELECT id FROM outbox WHERE tenant_id = $1", id);
        (await platform.Databases["tenants"].ScalarAsync<long>(
            "SELECT count(*) FROM outbox WHERE tenant_id = $1 AND published_at IS NOT NULL", id)).ShouldBe(1);
        foreach (var service in Downstream)
        {
            // Once per consumer: every service records the tenant, and Billing also opens its account.
            var consumers = await platform.Databases[service].ScalarAsync<string>(
                "SELECT string_agg(consumer, ',' ORDER BY consumer) FROM inbox WHERE event_id = $1", eventId);
            consumers.ShouldBe(service == "billing" ? "billing.accounts,known-tenants.created" : "known-tenants.created", service);
        }
    }

    public static TheoryData<string, HttpStatusCode, string> BadRequests => new()
    {
        { """{"name":"Acme","slug":"bad-json",""", HttpStatusCode.BadRequest, "body" },
        { """{"slug":"no-name-here","timeZone":"UTC","country":"FR"}""", HttpStatusCode.BadRequest, "name" },
        { $$"""{"name":"{{new string('n', 300)}}","slug":"long-name","timeZone":"UTC","country":"FR"}""", HttpStatusCode.BadRequest, "name" },
        { """{"name":"Acme","slug":"bad-zone","timeZone":"Europe/Atlantis","country":"FR"}""", HttpStatusCode.BadRequest, "timeZone" },
        { $$"""{"name":"{{new string('n', 2 * 1024 * 1024)}}"}""", HttpStatusCode.RequestEntityTooLarge, "body" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadInput_AnswersAProblemNamingTheField(string json, HttpStatusCode status, string field)
    {
        var response = await platform.Gateway.PostAsync("/api/tenants", new StringContent(json, Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        if (status == HttpStatusCode.RequestEntityTooLarge)
        {
            response.Headers.ConnectionClose.ShouldBe(true, "the unread body leaves the connection unusable, so the client must not reuse it");
        }

        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    [Fact]
    public async Task WithoutAToken_TheTenantsApiAnswersUnauthorized()
    {
        using var anonymous = new HttpClient { BaseAddress = platform.Gateway.BaseAddress };

        (await anonymous.GetAsync("/api/tenants")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsJsonAsync("/api/tenants", NewTenant(Slug()))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AChunkedBodyOverTheCap_AnswersPayloadTooLargeProblemAndClosesTheConnection()
    {
        var content = new StreamContent(new MemoryStream(new byte[3 * 1024 * 1024]));
        content.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/tenants") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await platform.Gateway.SendAsync(request);

        // Kestrel stops the body at the cap while YARP streams it to the service; the gateway answers for it.
        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("body", out _).ShouldBeTrue();
        response.Headers.ConnectionClose.ShouldBe(true);
    }

    [Fact]
    public async Task ADuplicateSlug_AnswersConflictNamingTheSlug()
    {
        var slug = Slug();
        await CreateAsync(slug);

        var response = await platform.Gateway.PostAsJsonAsync("/api/tenants", NewTenant(slug));

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("slug", out _).ShouldBeTrue();
    }
}
