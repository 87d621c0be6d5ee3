using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.ServiceDefaults.Identity;
using Msp.Testing;

namespace Msp.Tickets.Tests.Features.CannedResponses;

/// <summary>The provider's canned responses: kept by operators, read and searched by all staff, validated.</summary>
[Collection(nameof(TicketsApiCollection))]
public sealed class CannedResponsesTests(TicketsFactory factory)
{
    [Fact]
    public async Task AnOperatorAddsChangesAndRetiresOne_AndEveryTechnicianFindsItBySearch_WhateverTheirTenants()
    {
        var (tenantA, _) = await factory.TenantAsync();
        var (tenantB, _) = await factory.TenantAsync();
        var operatorApi = factory.ClientFor(await factory.UserAsync(Caller.Staff(MspRoles.Operator)));
        var techA = factory.ClientFor(await factory.TechnicianAsync(tenantA));
        var techB = factory.ClientFor(await factory.TechnicianAsync(tenantB));
        var word = "zq" + Guid.NewGuid().ToString("N")[..8];

        var added = await operatorApi.PostAsJsonAsync("/api/tickets/canned-responses",
            new { title = $"Password reset {word}", body = "Hello {requester.firstName}, your ticket {ticket.reference} is done. {technician.name}" });
        added.StatusCode.ShouldBe(HttpStatusCode.Created, await added.Content.ReadAsStringAsync());
        var id = (await TicketsFactory.ReadAsync(added)).GetProperty("id").GetGuid();

        foreach (var technician in new[] { techA, techB })
        {
            var found = await technician.GetFromJsonAsync<JsonElement>($"/api/tickets/canned-responses?q={word}");
            found.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ShouldBe([id]);
        }

        var changed = await operatorApi.PutAsJsonAsync($"/api/tickets/canned-responses/{id}", new { title = $"Reset done {word}", body = "Hi {requester.name}." });
        changed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await TicketsFactory.ReadAsync(changed)).GetProperty("body").GetString().ShouldBe("Hi {requester.name}.");
        (await techA.PostAsJsonAsync("/api/tickets/canned-responses", new { title = "Mine", body = "x" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await techA.PutAsJsonAsync($"/api/tickets/canned-responses/{id}", new { title = "Mine", body = "x" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        (await operatorApi.DeleteAsync($"/api/tickets/canned-responses/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await techA.GetFromJsonAsync<JsonElement>($"/api/tickets/canned-responses?q={word}")).GetProperty("items").GetArrayLength().ShouldBe(0);
        var retired = await operatorApi.GetFromJsonAsync<JsonElement>($"/api/tickets/canned-responses?q={word}&includeRetired=true");
        retired.GetProperty("items")[0].GetProperty("retired").GetBoolean().ShouldBeTrue();
        (await operatorApi.PutAsJsonAsync($"/api/tickets/canned-responses/{id}", new { title = "Again", body = "x" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await operatorApi.PutAsJsonAsync($"/api/tickets/canned-responses/{Guid.CreateVersion7()}", new { title = "Again", body = "x" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"body":"x"}""", "title")]
    [InlineData("""{"title":"Two\nlines","body":"x"}""", "title")]
    [InlineData("""{"title":"No body"}""", "body")]
    [InlineData("""{"title":"Unknown","body":"Dear {requester.salary}"}""", "body")]
    public async Task ABadResponse_Answers400NamingTheField(string json, string field)
    {
        var operatorApi = factory.ClientFor(await factory.UserAsync(Caller.Staff(MspRoles.Operator)));

        var response = await operatorApi.PostAsync("/api/tickets/canned-responses", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await TicketsFactory.ReadAsync(response)).GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).ShouldContain(n => n.Equals(field, StringComparison.OrdinalIgnoreCase));
        if (json.Contains("salary"))
        {
            errors.ToString().ShouldContain("{requester.salary}");
        }
    }

    [Fact]
    public async Task TwoResponsesInUse_CannotShareATitle_WhateverItsCase()
    {
        var operatorApi = factory.ClientFor(await factory.UserAsync(Caller.Staff(MspRoles.Operator)));
        var title = "Welcome " + Guid.NewGuid().ToString("N")[..8];

        (await operatorApi.PostAsJsonAsync("/api/tickets/canned-responses", new { title, body = "Hello." })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var again = await operatorApi.PostAsJsonAsync("/api/tickets/canned-responses", new { title = title.ToUpperInvariant(), body = "Hi." });

        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task StaffOpenATicketForAWalkInCaller_WithSourceWalkIn()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var requester = await factory.ClientUserAsync(tenantId);
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenantId));

        var opened = await TicketsFactory.OpenAsync(technician, new
        {
            subject = "Laptop brought to the desk", description = "Screen flickers.", impact = "Low", urgency = "Medium",
            tenantId, requesterId = requester.Id, source = "WalkIn",
        });

        opened.GetProperty("source").GetString().ShouldBe("WalkIn");
    }
}
