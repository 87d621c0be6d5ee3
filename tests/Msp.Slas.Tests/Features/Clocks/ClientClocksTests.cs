using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.ServiceDefaults.Tenancy;
using Msp.Testing;

namespace Msp.Slas.Tests.Features.Clocks;

/// <summary>Clients read the clocks of the tickets they may see, without the provider's internal details.</summary>
[Collection(nameof(SlasApiCollection))]
public sealed class ClientClocksTests(SlasFactory factory)
{
    private static readonly string[] ClientFields = ["kind", "state", "dueAt", "stoppedAt"];

    /// <summary>A tenant on a one-hour response, four-hour resolution policy, and a ticket opened 30 minutes ago by
    /// <paramref name="createdBy"/> for <paramref name="requester"/>, already answered by staff.</summary>
    private async Task<Guid> TicketAsync(Guid tenant, Guid requester, Guid? createdBy = null)
    {
        var ticket = Guid.CreateVersion7();
        var start = DateTimeOffset.UtcNow.AddMinutes(-30);
        await factory.DeliverAsync(SlasFactory.Created(tenant, ticket, start) with { RequesterId = requester, CreatedBy = createdBy ?? requester });
        await factory.DeliverAsync(SlasFactory.Replied(tenant, ticket, 2, start.AddMinutes(10)));
        return ticket;
    }

    private async Task<Guid> TenantOnPolicyAsync()
    {
        var tenant = (await factory.TenantAsync()).Id;
        var calendar = await SlasFactory.CalendarAsync(factory.Operator(), new { name = "24x7 " + tenant, timeZone = "UTC", alwaysOpen = true });
        await factory.PolicyForAsync(tenant, 60, 240, calendarId: calendar);
        return tenant;
    }

    [Fact]
    public async Task AClientUser_ReadsTheClocksOfTheirOwnTicket_WithoutLedgerTargetsOrPolicy()
    {
        var tenant = await TenantOnPolicyAsync();
        var user = await factory.ClientUserAsync(tenant);
        var ticket = await TicketAsync(tenant, user.Id);

        var answer = await (await factory.ClientFor(user).GetAsync($"/api/slas/tickets/{ticket}")).JsonAsync(HttpStatusCode.OK);

        answer.GetProperty("ticketId").GetGuid().ShouldBe(ticket);
        answer.TryGetProperty("policyId", out _).ShouldBeFalse();
        answer.TryGetProperty("policyName", out _).ShouldBeFalse();
        var clocks = answer.GetProperty("clocks").EnumerateArray().ToList();
        clocks.Count.ShouldBe(2);
        foreach (var clock in clocks)
        {
            clock.EnumerateObject().Select(p => p.Name).Order().ShouldBe(ClientFields.Order());
        }

        var response = SlasFactory.Clock(answer, "FirstResponse");
        response.GetProperty("state").GetString().ShouldBe("Met");
        response.GetProperty("stoppedAt").GetDateTimeOffset().ShouldBe(DateTimeOffset.UtcNow.AddMinutes(-20), TimeSpan.FromSeconds(5));
        var resolution = SlasFactory.Clock(answer, "Resolution");
        resolution.GetProperty("state").GetString().ShouldBe("Running");
        resolution.GetProperty("dueAt").GetDateTimeOffset().ShouldBe(DateTimeOffset.UtcNow.AddMinutes(210), TimeSpan.FromSeconds(5));
        resolution.GetProperty("stoppedAt").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task AClientUserWhoOpenedATicketForAColleague_ReadsItsClocks()
    {
        var tenant = await TenantOnPolicyAsync();
        var opener = await factory.ClientUserAsync(tenant);
        var ticket = await TicketAsync(tenant, requester: Guid.CreateVersion7(), createdBy: opener.Id);

        (await factory.ClientFor(opener).GetAsync($"/api/slas/tickets/{ticket}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AColleaguesTicket_IsNotFound_ForAClientUser()
    {
        var tenant = await TenantOnPolicyAsync();
        var colleague = await factory.ClientUserAsync(tenant);
        var ticket = await TicketAsync(tenant, colleague.Id);

        var response = await factory.ClientFor(await factory.ClientUserAsync(tenant)).GetAsync($"/api/slas/tickets/{ticket}");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AClientAdmin_GetsTheClientShapeForAnyTicketOfTheirTenant_AndNothingOfAnother()
    {
        var tenant = await TenantOnPolicyAsync();
        var other = await TenantOnPolicyAsync();
        var admin = factory.ClientFor(await factory.ClientUserAsync(tenant, MspRoles.ClientAdmin));
        var ticket = await TicketAsync(tenant, Guid.CreateVersion7());
        var elsewhere = await TicketAsync(other, Guid.CreateVersion7());

        var answer = await (await admin.GetAsync($"/api/slas/tickets/{ticket}")).JsonAsync(HttpStatusCode.OK);

        foreach (var clock in answer.GetProperty("clocks").EnumerateArray())
        {
            clock.EnumerateObject().Select(p => p.Name).Order().ShouldBe(ClientFields.Order());
        }

        answer.TryGetProperty("policyName", out _).ShouldBeFalse();
        (await admin.GetAsync($"/api/slas/tickets/{elsewhere}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.GetAsync($"/api/slas/tickets/{Guid.CreateVersion7()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Staff_GetTheFullAnswer_AndAnonymousCallersAreUnauthorized()
    {
        var tenant = await TenantOnPolicyAsync();
        var ticket = await TicketAsync(tenant, Guid.CreateVersion7());
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenant));

        var answer = await (await technician.GetAsync($"/api/slas/tickets/{ticket}")).JsonAsync(HttpStatusCode.OK);

        answer.GetProperty("policyName").GetString().ShouldNotBeNullOrEmpty();
        var resolution = SlasFactory.Clock(answer, "Resolution");
        resolution.GetProperty("targetMinutes").GetInt32().ShouldBe(240);
        resolution.GetProperty("ledger").GetArrayLength().ShouldBeGreaterThan(0);
        (await factory.CreateClient().GetAsync($"/api/slas/tickets/{ticket}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ABreachedClock_ShowsAsBreached_ToTheClient()
    {
        var tenant = await TenantOnPolicyAsync();
        var user = await factory.ClientUserAsync(tenant);
        var ticket = Guid.CreateVersion7();
        await factory.DeliverAsync(SlasFactory.Created(tenant, ticket, DateTimeOffset.UtcNow.AddMinutes(-90)) with { RequesterId = user.Id });

        var answer = await (await factory.ClientFor(user).GetAsync($"/api/slas/tickets/{ticket}")).JsonAsync(HttpStatusCode.OK);

        SlasFactory.Clock(answer, "FirstResponse").GetProperty("state").GetString().ShouldBe("Breached");
        SlasFactory.Clock(answer, "Resolution").GetProperty("state").GetString().ShouldBe("Running");
    }
}
