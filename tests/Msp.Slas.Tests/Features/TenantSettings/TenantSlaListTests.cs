using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.ServiceDefaults.Identity;
using Msp.Testing;

namespace Msp.Slas.Tests.Features.TenantSettings;

/// <summary>Which clients each policy and calendar serves: the console's SLA pages list them and count them.</summary>
[Collection(nameof(SlasApiCollection))]
public sealed class TenantSlaListTests(SlasFactory factory)
{
    [Fact]
    public async Task ThePolicyAndCalendarInForce_AreListedPerClient_AndCounted()
    {
        var client = factory.Operator();
        var onPolicy = (await factory.TenantAsync()).Id;
        var onOwnCalendar = (await factory.TenantAsync()).Id;
        var policy = await factory.PolicyForAsync(onPolicy, 60, 240);
        var policyCalendar = (await (await client.GetAsync($"/api/slas/policies/{policy}")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("calendarId").GetGuid();
        var ownCalendar = await SlasFactory.CalendarAsync(client, new { name = "Night " + Guid.NewGuid().ToString("N")[..8], timeZone = "client", alwaysOpen = true });
        (await client.PutAsJsonAsync($"/api/slas/tenants/{onOwnCalendar}", new { policyId = policy, calendarId = ownCalendar })).EnsureSuccessStatusCode();

        var onThePolicy = await RowsAsync(client, $"/api/slas/tenants?policyId={policy}");
        onThePolicy.Select(r => r.GetProperty("tenantId").GetGuid()).Order().ShouldBe(new[] { onPolicy, onOwnCalendar }.Order());
        var own = onThePolicy.Single(r => r.GetProperty("tenantId").GetGuid() == onOwnCalendar);
        own.GetProperty("calendarId").GetGuid().ShouldBe(ownCalendar);
        own.GetProperty("usesOwnCalendar").GetBoolean().ShouldBeTrue();
        own.GetProperty("tenantName").GetString().ShouldNotBeNullOrEmpty();
        var onItsCalendar = await RowsAsync(client, $"/api/slas/tenants?calendarId={policyCalendar}");
        onItsCalendar.Select(r => r.GetProperty("tenantId").GetGuid()).ShouldBe([onPolicy]);

        var usage = await client.GetFromJsonAsync<JsonElement>("/api/slas/usage");
        Count(usage, "policies", policy).ShouldBe(2);
        Count(usage, "calendars", ownCalendar).ShouldBe(1);
        Count(usage, "calendars", policyCalendar).ShouldBe(1);
    }

    [Fact]
    public async Task AClientThatNamesNoPolicy_IsListedUnderTheDefault()
    {
        var client = factory.Operator();
        var tenant = (await factory.TenantAsync()).Id;
        var policies = await client.GetFromJsonAsync<JsonElement>("/api/slas/policies?limit=200");
        var defaultPolicy = policies.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("isDefault").GetBoolean()).GetProperty("id").GetGuid();

        var rows = await RowsAsync(client, $"/api/slas/tenants?policyId={defaultPolicy}");

        var row = rows.Single(r => r.GetProperty("tenantId").GetGuid() == tenant);
        row.GetProperty("usesDefaultPolicy").GetBoolean().ShouldBeTrue();
        row.GetProperty("usesOwnCalendar").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task TheListPagesByCursor_AndRefusesABadLimit_NamingIt()
    {
        var client = factory.Operator();
        await factory.TenantAsync();
        await factory.TenantAsync();

        var first = await client.GetFromJsonAsync<JsonElement>("/api/slas/tenants?limit=1");
        var next = first.GetProperty("nextCursor").GetString();
        next.ShouldNotBeNull();
        var second = await client.GetFromJsonAsync<JsonElement>($"/api/slas/tenants?limit=1&cursor={next}");
        second.GetProperty("items")[0].GetProperty("tenantId").GetGuid().ShouldNotBe(first.GetProperty("items")[0].GetProperty("tenantId").GetGuid());

        var bad = await client.GetAsync("/api/slas/tenants?limit=0");
        await bad.ShouldNameAsync(HttpStatusCode.BadRequest, "limit");
    }

    [Theory]
    [InlineData("policyId")]
    [InlineData("calendarId")]
    public async Task AnIdThatIsNotAGuid_IsRefusedWithAProblemNamingIt(string field)
    {
        var client = factory.Operator();

        var bad = await client.GetAsync($"/api/slas/tenants?{field}=notaguid");

        await bad.ShouldNameAsync(HttpStatusCode.BadRequest, field);
        var empty = await client.GetAsync($"/api/slas/tenants?{field}=");
        empty.StatusCode.ShouldBe(HttpStatusCode.OK, await empty.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ATechnician_MayNotListTheClientsSlas()
    {
        var technician = factory.ClientFor(Caller.Staff(MspRoles.Technician));

        (await technician.GetAsync("/api/slas/tenants")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await technician.GetAsync("/api/slas/usage")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    private static async Task<List<JsonElement>> RowsAsync(HttpClient client, string url)
    {
        var rows = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>(url + "&limit=200" + (cursor is null ? "" : "&cursor=" + cursor));
            rows.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return rows;
    }

    private static int Count(JsonElement usage, string kind, Guid id) =>
        usage.GetProperty(kind).EnumerateArray().Where(u => u.GetProperty("id").GetGuid() == id).Select(u => u.GetProperty("clients").GetInt32()).SingleOrDefault();
}
