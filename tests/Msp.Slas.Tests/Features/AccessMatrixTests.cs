using Msp.Testing;

namespace Msp.Slas.Tests.Features;

/// <summary>The access matrix over every endpoint of the Slas service.</summary>
[Collection(nameof(SlasApiCollection))]
public sealed class AccessMatrixTests(SlasFactory factory) : AccessMatrixContract<Program>(factory)
{
    protected override int MinimumEndpoints => 15;

    protected override async Task<Guid> CreateTenantAsync() => (await factory.TenantAsync()).Id;

    /// <summary>A ticket of the tenant with its clocks, on a policy and calendar of the tenant's own.</summary>
    protected override async Task<IReadOnlyDictionary<string, Guid>> SeedAsync(Guid tenantId)
    {
        var calendar = await SlasFactory.CalendarAsync(factory.Operator(), new { name = "Matrix " + tenantId, timeZone = "UTC", alwaysOpen = true });
        var policy = await factory.PolicyForAsync(tenantId, 60, 240, calendarId: calendar);
        var ticket = Guid.CreateVersion7();
        await factory.DeliverAsync(SlasFactory.Created(tenantId, ticket, DateTimeOffset.UtcNow.AddMinutes(-5)));
        return new Dictionary<string, Guid>
        {
            ["/api/slas/calendars"] = calendar,
            ["/api/slas/policies"] = policy,
            ["/api/slas/tenants"] = tenantId,
            ["/api/slas/tickets"] = ticket,
        };
    }

    protected override async Task<HttpClient> SignedInAsync(Caller caller) => factory.ClientFor(await factory.UserAsync(caller));

    protected override object? Body(ApiEndpoint endpoint, Guid tenantId) => endpoint.Name switch
    {
        "POST /api/slas/calendars" or "PUT /api/slas/calendars/{id:guid}" =>
            new { name = "Matrix " + Guid.NewGuid().ToString("N")[..8], timeZone = "UTC", alwaysOpen = true },
        "POST /api/slas/policies" or "PUT /api/slas/policies/{id:guid}" => new
        {
            name = "Matrix " + Guid.NewGuid().ToString("N")[..8],
            calendarId = Guid.Parse("01930000-0000-7000-8000-00000000ca1e"),
            targets = new[] { "P1", "P2", "P3", "P4" }.Select(priority => new { priority, firstResponseMinutes = 1, resolutionMinutes = 2, aroundTheClock = true }),
        },
        "PUT /api/slas/tenants/{tenantId:guid}" => new { calendarId = Guid.Parse("01930000-0000-7000-8000-00000000ca1e") },
        _ => null,
    };
}
