using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Msp.Slas.Tests.Features.Policies;

[Collection(nameof(SlasApiCollection))]
public sealed class PoliciesTests(SlasFactory factory)
{
    private static readonly Guid SeededCalendar = Guid.Parse("01930000-0000-7000-8000-00000000ca1e");

    private static object Policy(Guid calendarId, bool isDefault = false, string[]? priorities = null) => new
    {
        name = "Gold " + Guid.NewGuid().ToString("N")[..8],
        calendarId,
        isDefault,
        targets = (priorities ?? ["P1", "P2", "P3", "P4"]).Select((priority, i) => new
        {
            priority, firstResponseMinutes = 15 * (i + 1), resolutionMinutes = 120 * (i + 1), aroundTheClock = priority == "P1",
        }),
    };

    [Fact]
    public async Task APolicy_DefaultsItsWarningTo75Percent()
    {
        var response = await factory.Operator().PostAsJsonAsync("/api/slas/policies", Policy(SeededCalendar));

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("warningPercent").GetInt32().ShouldBe(75);
        body.GetProperty("targets").GetArrayLength().ShouldBe(4);
    }

    public static TheoryData<string, string> BadPolicies => new()
    {
        { "targets", """{"name":"Missing P4","calendarId":"01930000-0000-7000-8000-00000000ca1e","targets":[{"priority":"P1"},{"priority":"P2"},{"priority":"P3"}]}""" },
        { "warningPercent", """{"name":"Warn","calendarId":"01930000-0000-7000-8000-00000000ca1e","warningPercent":100,"targets":[{"priority":"P1"},{"priority":"P2"},{"priority":"P3"},{"priority":"P4"}]}""" },
        { "targets[1].resolutionMinutes", """{"name":"Negative","calendarId":"01930000-0000-7000-8000-00000000ca1e","targets":[{"priority":"P1"},{"priority":"P2","resolutionMinutes":-5},{"priority":"P3"},{"priority":"P4"}]}""" },
        { "calendarId", """{"name":"Unknown calendar","calendarId":"01930000-0000-7000-8000-000000000bad","targets":[{"priority":"P1"},{"priority":"P2"},{"priority":"P3"},{"priority":"P4"}]}""" },
        { "calendarId", """{"name":"No calendar","targets":[{"priority":"P1"},{"priority":"P2"},{"priority":"P3"},{"priority":"P4"}]}""" },
    };

    [Theory]
    [MemberData(nameof(BadPolicies))]
    public async Task ABadPolicy_IsRefused_NamingTheField_AndNothingIsStored(string field, string json)
    {
        var before = await factory.Database.ScalarAsync<long>("SELECT count(*) FROM sla_policies");

        var response = await factory.Operator().PostAsync("/api/slas/policies", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(field);
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM sla_policies")).ShouldBe(before);
    }

    [Fact]
    public async Task MakingAPolicyTheDefault_MovesTheDefault_AndTheDefaultCannotBeDeleted()
    {
        var client = factory.Operator();
        var created = await client.PostAsJsonAsync("/api/slas/policies", Policy(SeededCalendar, isDefault: true));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        try
        {
            (await factory.Database.ScalarAsync<Guid>("SELECT id FROM sla_policies WHERE is_default")).ShouldBe(id);
            (await client.DeleteAsync($"/api/slas/policies/{id}")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        }
        finally
        {
            var seeded = Guid.Parse("01930000-0000-7000-8000-0000000000d1");
            var standard = await (await client.GetAsync($"/api/slas/policies/{seeded}")).Content.ReadFromJsonAsync<JsonElement>();
            (await client.PutAsJsonAsync($"/api/slas/policies/{seeded}", new
            {
                name = standard.GetProperty("name").GetString(),
                calendarId = standard.GetProperty("calendarId").GetGuid(),
                warningPercent = standard.GetProperty("warningPercent").GetInt32(),
                isDefault = true,
                targets = standard.GetProperty("targets"),
            })).EnsureSuccessStatusCode();
        }

        (await client.DeleteAsync($"/api/slas/policies/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task ATenant_IsOnTheDefaultPolicy_UntilAnOperatorSetsOne()
    {
        var tenant = await factory.TenantAsync();
        var client = factory.Operator();

        var before = await (await client.GetAsync($"/api/slas/tenants/{tenant.Id}")).Content.ReadFromJsonAsync<JsonElement>();
        before.GetProperty("usesDefaultPolicy").GetBoolean().ShouldBeTrue();

        var policy = await factory.PolicyForAsync(tenant.Id, 30, 120);
        var after = await (await client.GetAsync($"/api/slas/tenants/{tenant.Id}")).Content.ReadFromJsonAsync<JsonElement>();
        after.GetProperty("policyId").GetGuid().ShouldBe(policy);
        after.GetProperty("usesDefaultPolicy").GetBoolean().ShouldBeFalse();

        (await client.PutAsJsonAsync($"/api/slas/tenants/{tenant.Id}", new { policyId = Guid.CreateVersion7() })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var noBody = await client.PutAsync($"/api/slas/tenants/{tenant.Id}", new StringContent("", System.Text.Encoding.UTF8, "application/json"));
        noBody.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        noBody.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await client.PutAsJsonAsync($"/api/slas/tenants/{Guid.CreateVersion7()}", new { policyId = policy })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AContractNamingAPolicy_PutsTheTenantOnIt_UntilTheContractEnds()
    {
        var tenant = await factory.TenantAsync();
        var created = await factory.Operator().PostAsJsonAsync("/api/slas/policies", Policy(SeededCalendar));
        var policy = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var contract = Guid.CreateVersion7();

        await factory.DeliverAsync(new Msp.Contracts.Billing.ContractActivated
        {
            EventId = Msp.Contracts.EventIds.New(), TenantId = tenant.Id, OccurredAt = DateTimeOffset.UtcNow, ContractId = contract,
            Kind = "BlockHours", StartsOn = new DateOnly(2026, 11, 1), SlaPolicyId = policy,
        });
        var during = await factory.Operator().GetFromJsonAsync<JsonElement>($"/api/slas/tenants/{tenant.Id}");
        during.GetProperty("policyId").GetGuid().ShouldBe(policy);
        during.GetProperty("source").GetString().ShouldBe($"Contract {contract}");

        await factory.DeliverAsync(new Msp.Contracts.Billing.ContractEnded
        {
            EventId = Msp.Contracts.EventIds.New(), TenantId = tenant.Id, OccurredAt = DateTimeOffset.UtcNow, ContractId = contract,
            EndedOn = new DateOnly(2026, 11, 30),
        });
        var after = await factory.Operator().GetFromJsonAsync<JsonElement>($"/api/slas/tenants/{tenant.Id}");
        after.GetProperty("usesDefaultPolicy").GetBoolean().ShouldBeTrue();
    }
}
