using System.Net;
using System.Net.Http.Json;
using Msp.Contracts;
using Msp.Contracts.Tenants;
using Msp.Messaging;
using Msp.ServiceDefaults.Identity;

namespace Msp.Testing;

/// <summary>What every service that keeps a copy of the tenants must do with the Tenants service's events.
/// Each such service's test project runs these against its own host, queues and database.</summary>
public abstract class KnownTenantsContract<TProgram>(ServiceFactory<TProgram> factory) where TProgram : class
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(10);

    /// <summary>The inbox rows of the known-tenants consumers (a service may have other consumers of the same events).</summary>
    private const string KnownTenantsInbox = "SELECT count(*) FROM inbox WHERE event_id = $1 AND consumer LIKE 'known-tenants.%'";

    /// <summary>How many of the service's consumers take <c>TenantCreated</c> (Billing also opens an account on it).</summary>
    protected virtual int TenantCreatedConsumers => 1;

    private static TenantCreated Created(Guid tenantId) => new()
    {
        EventId = Guid.CreateVersion7(), TenantId = tenantId, OccurredAt = DateTimeOffset.UtcNow,
        Name = "Acme", Slug = "acme" + tenantId.ToString("N")[..6], TimeZone = "Europe/Paris", Country = "FR", Status = "Active",
    };

    private static TenantUpdated Updated(Guid tenantId, long version, string name) => new()
    {
        EventId = Guid.CreateVersion7(), TenantId = tenantId, OccurredAt = DateTimeOffset.UtcNow, Version = version,
        Name = name, Slug = "acme" + tenantId.ToString("N")[..6], TimeZone = "Europe/Paris", Country = "FR", Status = "Active",
    };

    private Task<long> KnownCount(Guid tenantId) =>
        factory.Database.ScalarAsync<long>("SELECT count(*) FROM known_tenants WHERE id = $1", tenantId);

    private Task<string> NameOf(Guid tenantId) =>
        factory.Database.ScalarAsync<string>("SELECT name FROM known_tenants WHERE id = $1", tenantId);

    [Fact]
    public async Task TenantCreated_IsRecordedAsAKnownTenant()
    {
        var tenantId = Guid.CreateVersion7();

        await factory.Bus.Publish(Created(tenantId));

        await Eventually.HoldsAsync(async () => await KnownCount(tenantId) == 1, Delivery, "the tenant is recorded");
        (await factory.Database.ScalarAsync<string>("SELECT time_zone FROM known_tenants WHERE id = $1", tenantId)).ShouldBe("Europe/Paris");
    }

    [Fact]
    public async Task TheSameEventDeliveredTwice_IsProcessedOnce()
    {
        var tenantId = Guid.CreateVersion7();
        var created = Created(tenantId);
        var renamed = Updated(tenantId, 2, "Renamed once");

        await factory.Bus.Publish(created);
        await factory.Bus.Publish(renamed);
        await factory.Bus.Publish(created);
        await factory.Bus.Publish(renamed);

        await Eventually.HoldsAsync(
            () => Task.FromResult(factory.Consumed.Of(created.EventId) == 2 * TenantCreatedConsumers && factory.Consumed.Of(renamed.EventId) == 2),
            Delivery, "both deliveries of both events are consumed");

        (await factory.Database.ScalarAsync<long>(KnownTenantsInbox, created.EventId)).ShouldBe(1);
        (await NameOf(tenantId)).ShouldBe("Renamed once");
        (await factory.Database.ScalarAsync<long>("SELECT version FROM known_tenants WHERE id = $1", tenantId)).ShouldBe(2);
        (await KnownCount(tenantId)).ShouldBe(1);
    }

    [Fact]
    public async Task AnUpdateThatOvertakesTheCreation_IsKept()
    {
        var tenantId = Guid.CreateVersion7();

        await factory.Bus.Publish(Updated(tenantId, 3, "Newest"));
        await Eventually.HoldsAsync(async () => await KnownCount(tenantId) == 1, Delivery, "the update is recorded");
        var older = Updated(tenantId, 2, "Older");
        var created = Created(tenantId);
        await factory.Bus.Publish(older);
        await factory.Bus.Publish(created);
        await Eventually.HoldsAsync(
            () => Task.FromResult(factory.Consumed.Of(older.EventId) == 1 && factory.Consumed.Of(created.EventId) == TenantCreatedConsumers),
            Delivery, "the late events are consumed");

        (await NameOf(tenantId)).ShouldBe("Newest");
        (await factory.Database.ScalarAsync<long>("SELECT version FROM known_tenants WHERE id = $1", tenantId)).ShouldBe(3);
    }

    [Fact]
    public async Task AnEventThatKeepsFailing_EndsInTheErrorQueue_AndChangesNothing()
    {
        var tenantId = Guid.CreateVersion7();
        var poisoned = Created(tenantId) with { Name = null! }; // violates known_tenants.name NOT NULL

        await factory.Bus.Publish(poisoned);

        var queue = $"{factory.Name}-known-tenant-created_error";
        await Eventually.HoldsAsync(async () => await TestServers.QueueDepthAsync(factory.RabbitMqUri, queue) == 1, Delivery, $"the message lands in {queue}");
        (await KnownCount(tenantId)).ShouldBe(0);
        (await factory.Database.ScalarAsync<long>(KnownTenantsInbox, poisoned.EventId)).ShouldBe(0);
    }

    [Fact]
    public async Task AFailedEvent_IsShownToAdminsWithItsError_AndReplayedOnceItsCauseIsGone_IsAppliedOnce()
    {
        var tenantId = Guid.CreateVersion7();
        var tag = tenantId.ToString("N")[..8];
        var failing = Created(tenantId) with { Name = "Refused for now " + tag };
        // A cause an operator can remove: a rule on the table that refuses this one name.
        await factory.Database.ScalarAsync<int>($"ALTER TABLE known_tenants ADD CONSTRAINT refuse_{tag} CHECK (name <> 'Refused for now {tag}') NOT VALID; SELECT 1");
        var admin = factory.ClientFor(await factory.UserAsync(Caller.Staff(MspRoles.Admin)));
        var operatorClient = factory.ClientFor(await factory.UserAsync(Caller.Staff(MspRoles.Operator)));
        var queue = $"{factory.Name}-known-tenant-created";
        var failedMessages = $"/api/{factory.Name}/failed-messages";

        await factory.Bus.Publish(failing);
        FailedMessage? listed = null;
        await Eventually.HoldsAsync(async () =>
        {
            var list = await admin.GetFromJsonAsync<FailedMessageList>(failedMessages);
            listed = list!.Items.FirstOrDefault(m => m.EventId == failing.EventId);
            return listed is not null;
        }, Delivery, "the event that kept failing is listed");

        (listed!.Queue, listed.TenantId, listed.MessageType).ShouldBe((queue, tenantId, nameof(TenantCreated)));
        listed.Error.ShouldNotBeNullOrWhiteSpace();
        listed.FailedAt.ShouldNotBeNull();
        (await operatorClient.GetAsync(failedMessages)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "error queues are for Admins");
        (await operatorClient.PostAsync($"{failedMessages}/{listed.Id}/replay", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await KnownCount(tenantId)).ShouldBe(0);

        await factory.Database.ScalarAsync<int>($"ALTER TABLE known_tenants DROP CONSTRAINT refuse_{tag}; SELECT 1");
        var replayed = await admin.PostAsync($"{failedMessages}/{listed.Id}/replay", null);

        replayed.StatusCode.ShouldBe(HttpStatusCode.OK, await replayed.Content.ReadAsStringAsync());
        (await replayed.Content.ReadFromJsonAsync<ReplayedMessage>())!.Queue.ShouldBe(queue);
        await Eventually.HoldsAsync(async () => await KnownCount(tenantId) == 1, Delivery, "the replayed event is applied");
        (await NameOf(tenantId)).ShouldBe(failing.Name);
        (await admin.PostAsync($"{failedMessages}/{listed.Id}/replay", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound, "it left the error queue");
        (await admin.GetFromJsonAsync<FailedMessageList>(failedMessages))!.Items.ShouldNotContain(m => m.EventId == failing.EventId);

        var consumed = factory.Consumed.Of(failing.EventId);
        await factory.Bus.Publish(failing); // the same event again, as a second replay racing the first would bring it
        await Eventually.HoldsAsync(() => Task.FromResult(factory.Consumed.Of(failing.EventId) >= consumed + TenantCreatedConsumers), Delivery, "the copy is consumed");
        (await factory.Database.ScalarAsync<long>(KnownTenantsInbox, failing.EventId)).ShouldBe(1, "applied once");
        (await KnownCount(tenantId)).ShouldBe(1);
    }

    [Fact]
    public async Task KnowingNoTenantAtStart_TheServiceAskedTheTenantsServiceForThemOnce_ThroughItsOutbox()
    {
        // The test database starts empty, as a service that joins a running platform late or is restored (decision 0128).
        (await factory.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox WHERE message_type = $1 AND payload->>'requestedBy' = $2 AND (payload->>'tenantId')::uuid = $3",
            typeof(KnownPartiesRequested).FullName!, factory.Name, Provider.TenantId)).ShouldBe(1);
    }

    [Fact]
    public async Task EveryTenantOwnedTable_HasRowLevelSecurityEnabledAndForced()
    {
        var tables = await RowLevelSecurity.TenantOwnedTablesAsync(factory.Database);

        tables.Select(t => t.Table).ShouldContain("known_tenants");
        tables.ShouldAllBe(t => t.Enabled && t.Forced);
    }

    [Fact]
    public async Task TheApplicationRole_WithoutAScope_SeesNoTenantRowsAndCannotInsertOne()
    {
        var tenantId = Guid.CreateVersion7();
        await factory.Bus.Publish(Created(tenantId));
        await Eventually.HoldsAsync(async () => await KnownCount(tenantId) == 1, Delivery, "the tenant is recorded");

        await using (var unscoped = await RowLevelSecurity.OpenAsApplicationAsync(factory.Database))
        {
            (await RowLevelSecurity.CountAsync(unscoped, "known_tenants")).ShouldBe(0);
            await using var insert = new Npgsql.NpgsqlCommand("""
                INSERT INTO known_tenants (id, name, slug, status, time_zone, country, version, recorded_at, updated_at)
                VALUES (gen_random_uuid(), 'x', 'x', 'Active', 'UTC', 'FR', 1, now(), now())
                """, unscoped);
            var error = await Should.ThrowAsync<Npgsql.PostgresException>(() => insert.ExecuteNonQueryAsync());
            error.SqlState.ShouldBe(Npgsql.PostgresErrorCodes.InsufficientPrivilege);
        }

        await using var scoped = await RowLevelSecurity.OpenAsApplicationAsync(factory.Database, tenantId);
        (await RowLevelSecurity.CountAsync(scoped, "known_tenants")).ShouldBe(1);
    }
}
