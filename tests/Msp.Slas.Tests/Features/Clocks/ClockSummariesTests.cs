using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Testing;

namespace Msp.Slas.Tests.Features.Clocks;

/// <summary>The clocks of many tickets in one call, for a queue page's badges: only those within the caller's scope.</summary>
[Collection(nameof(SlasApiCollection))]
public sealed class ClockSummariesTests(SlasFactory factory)
{
    [Fact]
    public async Task ATechnician_ReadsTheClocksOfManyTicketsAtOnce_AndNothingOfAnotherTenant()
    {
        var (mine, other) = ((await factory.TenantAsync()).Id, (await factory.TenantAsync()).Id);
        await factory.PolicyForAsync(mine, 60, 240);
        await factory.PolicyForAsync(other, 60, 240);
        var start = DateTimeOffset.UtcNow.AddMinutes(-30);
        var (first, second, foreign) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        await factory.DeliverAsync(SlasFactory.Created(mine, first, start));
        await factory.DeliverAsync(SlasFactory.Created(mine, second, start));
        await factory.DeliverAsync(SlasFactory.Replied(mine, second, 2, start.AddMinutes(5)));
        await factory.DeliverAsync(SlasFactory.Created(other, foreign, start));
        var technician = factory.ClientFor(await factory.TechnicianAsync(mine));

        var rows = await (await technician.GetAsync($"/api/slas/tickets?ids={first},{second},{foreign},{Guid.CreateVersion7()}")).JsonAsync(HttpStatusCode.OK);

        var byTicket = rows.EnumerateArray().ToDictionary(r => r.GetProperty("ticketId").GetGuid(), r => r.GetProperty("clocks").EnumerateArray().ToList());
        byTicket.Keys.ShouldBe([first, second], ignoreOrder: true);
        byTicket[first].Select(c => c.GetProperty("state").GetString()).ShouldBe(["Running", "Running"]);
        byTicket[second].Single(c => c.GetProperty("kind").GetString() == "FirstResponse").GetProperty("state").GetString().ShouldBe("Met");
        byTicket[first][0].TryGetProperty("ledger", out _).ShouldBeFalse();

        // The same as one ticket's answer says.
        var single = await technician.GetFromJsonAsync<JsonElement>($"/api/slas/tickets/{first}");
        SlasFactory.Clock(single, "Resolution").GetProperty("dueAt").GetDateTimeOffset()
            .ShouldBe(byTicket[first].Single(c => c.GetProperty("kind").GetString() == "Resolution").GetProperty("dueAt").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData(null)]
    public async Task BadIds_Answer400NamingIds(string? bad)
    {
        var technician = factory.ClientFor(await factory.TechnicianAsync((await factory.TenantAsync()).Id));
        var ids = bad ?? string.Join(',', Enumerable.Range(0, 101).Select(_ => Guid.CreateVersion7()));

        var response = await technician.GetAsync($"/api/slas/tickets?ids={ids}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("ids", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task NoIds_IsAnEmptyList_AndAClientIsRefused()
    {
        var tenant = (await factory.TenantAsync()).Id;
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenant));
        (await (await technician.GetAsync("/api/slas/tickets")).JsonAsync(HttpStatusCode.OK)).GetArrayLength().ShouldBe(0);
        var client = factory.ClientFor(await factory.ClientUserAsync(tenant));
        (await client.GetAsync($"/api/slas/tickets?ids={Guid.CreateVersion7()}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
