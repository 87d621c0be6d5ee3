using System.Net;
using System.Net.Http.Json;
using Msp.Contracts;
using Msp.Contracts.Slas;
using Msp.Testing;

namespace Msp.Billing.Tests.Features.SlaPolicies;

/// <summary>A contract can only name an SLA policy that exists: Billing keeps the policies the Slas service announces
/// (decision 0071).</summary>
[Collection(nameof(BillingCollection))]
public sealed class SlaPoliciesTests(ServiceFactory<Program> factory)
{
    private async Task DeliverAsync(IIntegrationEvent message)
    {
        await factory.Bus.Publish(message, message.GetType());
        await Eventually.HoldsAsync(() => Task.FromResult(factory.Consumed.Of(message.EventId) >= 1), TimeSpan.FromSeconds(15), "the event is consumed");
    }

    private static object Contract(Guid tenant, Guid policy) => new
    {
        tenantId = tenant, name = "Managed desktops", kind = "TimeAndMaterials", startsOn = new DateOnly(2026, 1, 1), slaPolicyId = policy, defaultRate = 90m,
    };

    private Task<long> ContractsAsync(Guid tenant) => factory.Database.ScalarAsync<long>(
        "SELECT (SELECT count(*) FROM contracts WHERE tenant_id = $1) + (SELECT count(*) FROM outbox WHERE tenant_id = $1)", tenant);

    [Fact]
    public async Task AContractNamingAPolicyThatDoesNotExist_Answers400NamingSlaPolicyId_AndWritesNothing()
    {
        var op = await factory.OperatorAsync();
        var tenant = await factory.AccountAsync(op);
        var before = await ContractsAsync(tenant);

        var refused = await op.PostAsJsonAsync("/api/billing/contracts", Contract(tenant, Guid.CreateVersion7()));

        (await refused.ShouldNameFieldAsync(HttpStatusCode.BadRequest, "slaPolicyId")).ShouldContain(m => m.Contains("No SLA policy"));
        (await ContractsAsync(tenant)).ShouldBe(before);
        (await op.PostAsJsonAsync("/api/billing/contracts", Contract(tenant, await factory.SlaPolicyAsync()))).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task ADeletedPolicy_CannotBeNamed_EvenWhenItsCreationArrivesAfterItsDeletion()
    {
        var op = await factory.OperatorAsync();
        var tenant = await factory.AccountAsync(op);
        var deleted = await factory.SlaPolicyAsync();
        var late = Guid.CreateVersion7();
        var at = DateTimeOffset.UtcNow;

        await DeliverAsync(new SlaPolicyDeleted { EventId = EventIds.New(), TenantId = Provider.TenantId, OccurredAt = at, PolicyId = deleted });
        await DeliverAsync(new SlaPolicyDeleted { EventId = EventIds.New(), TenantId = Provider.TenantId, OccurredAt = at, PolicyId = late });
        await DeliverAsync(new SlaPolicyCreated { EventId = EventIds.New(), TenantId = Provider.TenantId, OccurredAt = at.AddSeconds(-5), PolicyId = late, Name = "Late" });

        await (await op.PostAsJsonAsync("/api/billing/contracts", Contract(tenant, deleted))).ShouldNameFieldAsync(HttpStatusCode.BadRequest, "slaPolicyId");
        await (await op.PostAsJsonAsync("/api/billing/contracts", Contract(tenant, late))).ShouldNameFieldAsync(HttpStatusCode.BadRequest, "slaPolicyId");
    }

    [Fact]
    public async Task APolicysNewestName_Wins_WhateverOrderItsEventsArriveIn()
    {
        var policy = Guid.CreateVersion7();
        var at = DateTimeOffset.UtcNow;

        await DeliverAsync(new SlaPolicyChanged { EventId = EventIds.New(), TenantId = Provider.TenantId, OccurredAt = at.AddSeconds(10), PolicyId = policy, Name = "Gold" });
        await DeliverAsync(new SlaPolicyCreated { EventId = EventIds.New(), TenantId = Provider.TenantId, OccurredAt = at, PolicyId = policy, Name = "Silver" });

        (await factory.Database.ScalarAsync<string>("SELECT name || '/' || deleted FROM sla_policies WHERE id = $1", policy)).ShouldBe("Gold/false");
    }
}
