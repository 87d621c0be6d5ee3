using System.Net;
using System.Net.Http.Json;
using Msp.Contracts;
using Msp.Contracts.Tenants;
using Msp.Tenants.Domain;
using Msp.Tenants.Features.AnnounceKnownParties;
using Msp.Testing;

namespace Msp.Tenants.Tests.Features.AnnounceKnownParties;

/// <summary>A service that knows no tenant asks for them all: the Tenants service announces every tenant at its current
/// version and every user with the instants it holds, through its outbox, a page at a time, once per request.</summary>
[Collection(nameof(TenantsCollection))]
public sealed class KnownPartiesRequestedConsumerTests(TenantsFactory factory)
{
    /// <summary>The answer's events of one type: the outbox rows that name the request as their correlation.</summary>
    private const string Answer = "FROM outbox o WHERE o.correlation_id = $1 AND o.message_type = $2";

    [Fact]
    public async Task ARequest_AnnouncesEveryTenantAtItsVersion_AndEveryUserWithTheInstantsOfTheirChanges_APageAtATime_WithoutAnInvitationToken()
    {
        await factory.Database.ScalarAsync<long>("""
            WITH made AS (
                INSERT INTO tenants (id, name, slug, time_zone, country, status, version, created_at, updated_at)
                SELECT gen_random_uuid(), 'Bulk', 'b' || substr(md5(random()::text), 1, 16), 'UTC', 'FR', 'Active', 1, now(), now()
                FROM generate_series(1, $1) RETURNING 1)
            SELECT count(*) FROM made
            """, KnownPartiesRequestedConsumer.PageSize + 5); // more tenants than a page holds, whatever the other tests made
        var tenantId = await factory.CreateTenantAsync(factory.Admin);
        var slug = await factory.Database.ScalarAsync<string>("SELECT slug FROM tenants WHERE id = $1", tenantId);
        (await factory.Admin.PutAsJsonAsync($"/api/tenants/{tenantId}", TenantsFactory.NewTenant(slug))).EnsureSuccessStatusCode();
        var (invited, email, _) = await factory.InviteAsync(factory.Admin, tenantId);
        var (deactivated, _, _) = await factory.InviteAsync(factory.Admin, tenantId);
        (await factory.Admin.PostAsync($"/api/users/{deactivated}/deactivate", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var technician = await factory.CreateUserAsync(Roles.Technician, "technician password 1");
        (await factory.Admin.PutAsJsonAsync($"/api/staff/{technician.Id}/tenants", new { allTenants = false, tenantIds = new[] { tenantId } }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var promoted = await factory.CreateUserAsync(Roles.Technician, "promoted password 1");
        (await factory.Admin.PutAsJsonAsync($"/api/staff/{promoted.Id}/role", new { role = Roles.Operator })).EnsureSuccessStatusCode();
        var (reactivated, _, _) = await factory.InviteAsync(factory.Admin, tenantId);
        (await factory.Admin.PostAsync($"/api/users/{reactivated}/deactivate", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await factory.Admin.PostAsync($"/api/users/{reactivated}/reactivate", null)).EnsureSuccessStatusCode();
        var renamed = await factory.CreateUserAsync(Roles.ClientUser, "renamed password 1", tenantId);
        (await (await factory.SignedInClientAsync(renamed.Email!, "renamed password 1"))
            .PutAsJsonAsync("/api/auth/me/profile", new { displayName = "Renamed", language = "it", timeZone = "Europe/Rome" })).EnsureSuccessStatusCode();
        var request = Request();

        await DeliverAsync(request);

        var id = request.EventId.ToString();
        (await CountAsync(Answer, id, typeof(TenantUpdated))).ShouldBe(await factory.Database.ScalarAsync<long>("SELECT count(*) FROM tenants"));
        (await CountAsync(Answer + " AND (o.payload->>'tenantId')::uuid = $3 AND (o.payload->>'version')::bigint = 2", id, typeof(TenantUpdated), tenantId))
            .ShouldBe(1, "the tenant at its current version");
        (await factory.Database.ScalarAsync<long>(
            "SELECT count(*) FROM inbox WHERE event_id = $1 AND consumer LIKE 'tenants.known-parties.tenants-%'", request.EventId)).ShouldBeGreaterThan(1, "a page at a time");

        (await CountAsync(Answer, id, typeof(UserInvited))).ShouldBe(await factory.Database.ScalarAsync<long>("SELECT count(*) FROM users"));
        (await CountAsync(Answer + """
             AND (o.payload->>'userId')::uuid = $3 AND o.payload->>'email' = $4 AND o.payload->>'role' = 'ClientUser'
             AND o.payload->>'invitationToken' IS NULL AND o.payload->>'language' = 'fr'
             AND (o.payload->>'occurredAt')::timestamptz = (SELECT created_at FROM users WHERE id = $3)
            """, id, typeof(UserInvited), invited, email)).ShouldBe(1, "the invitation, at its own instant, with no token to mail");
        (await CountAsync(Answer + """
             AND (o.payload->>'userId')::uuid = $3 AND o.payload->'tenantIds' = jsonb_build_array($4::text) AND NOT (o.payload->>'allTenants')::boolean
             AND (o.payload->>'occurredAt')::timestamptz = (SELECT scope_changed_at FROM users WHERE id = $3)
            """, id, typeof(TechnicianScopeChanged), technician.Id, tenantId.ToString())).ShouldBe(1, "the technician's tenants, when they were assigned");
        (await CountAsync(Answer + """
             AND (o.payload->>'userId')::uuid = $3 AND o.payload->>'role' = 'Operator'
             AND (o.payload->>'occurredAt')::timestamptz = (SELECT role_changed_at FROM users WHERE id = $3)
            """, id, typeof(UserRoleChanged), promoted.Id)).ShouldBe(1, "the role, when it changed");
        (await CountAsync(Answer + " AND (o.payload->>'userId')::uuid = $3 AND (o.payload->>'occurredAt')::timestamptz = (SELECT reactivated_at FROM users WHERE id = $3)",
            id, typeof(UserReactivated), reactivated)).ShouldBe(1, "the reactivation, when it happened");
        (await CountAsync(Answer + " AND (o.payload->>'userId')::uuid = $3", id, typeof(UserDeactivated), reactivated)).ShouldBe(0, "the deactivation it undid is gone");
        (await CountAsync(Answer + """
             AND (o.payload->>'userId')::uuid = $3 AND o.payload->>'displayName' = 'Renamed' AND o.payload->>'language' = 'it'
             AND o.payload->>'timeZone' = 'Europe/Rome' AND (o.payload->>'occurredAt')::timestamptz = (SELECT profile_changed_at FROM users WHERE id = $3)
            """, id, typeof(UserProfileChanged), renamed.Id)).ShouldBe(1, "the profile, when it changed");
        (await factory.Database.ScalarAsync<long>("""
            SELECT count(*) FROM outbox o JOIN users u ON u.id = (o.payload->>'userId')::uuid
            WHERE o.correlation_id IS DISTINCT FROM $1 AND u.id = ANY($2)
            AND regexp_replace(o.payload->>'occurredAt', '(\.\d{6})\d+', '\1')::timestamptz = CASE o.message_type
                WHEN 'Msp.Contracts.Tenants.TechnicianScopeChanged' THEN u.scope_changed_at WHEN 'Msp.Contracts.Tenants.UserRoleChanged' THEN u.role_changed_at
                WHEN 'Msp.Contracts.Tenants.UserReactivated' THEN u.reactivated_at WHEN 'Msp.Contracts.Tenants.UserProfileChanged' THEN u.profile_changed_at
                WHEN 'Msp.Contracts.Tenants.UserDeactivated' THEN u.deactivated_at END
            """, id, new[] { technician.Id, promoted.Id, reactivated, renamed.Id, deactivated })).ShouldBe(5, "each change's own event carried the instant kept (cut to microseconds, as stored)");
        (await CountAsync(Answer + " AND (o.payload->>'userId')::uuid = $3 AND (o.payload->>'occurredAt')::timestamptz = (SELECT deactivated_at FROM users WHERE id = $3)",
            id, typeof(UserDeactivated), deactivated)).ShouldBe(1, "the deactivation, at its instant");
        (await CountAsync(Answer + " AND (o.payload->>'userId')::uuid = $3", id, typeof(UserDeactivated), invited)).ShouldBe(0, "an active user is not deactivated");
        foreach (var type in new[] { typeof(TechnicianScopeChanged), typeof(UserRoleChanged), typeof(UserReactivated), typeof(UserProfileChanged) })
        {
            (await CountAsync(Answer + " AND (o.payload->>'userId')::uuid = $3", id, type, invited)).ShouldBe(0, $"no {type.Name} for a user it never happened to");
        }
    }

    [Fact]
    public async Task TheSameRequestDeliveredTwice_IsAnsweredOnce()
    {
        await factory.CreateTenantAsync(factory.Admin);
        var request = Request();
        await DeliverAsync(request);
        var answered = await factory.Database.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE correlation_id = $1", request.EventId.ToString());

        await DeliverAsync(request with { });

        answered.ShouldBeGreaterThan(0);
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE correlation_id = $1", request.EventId.ToString())).ShouldBe(answered);
    }

    private static KnownPartiesRequested Request() => new()
    {
        EventId = EventIds.New(), TenantId = Provider.TenantId, OccurredAt = DateTimeOffset.UtcNow, RequestedBy = "tests",
    };

    private Task<long> CountAsync(string answer, string requestId, Type type, params object[] more) =>
        factory.Database.ScalarAsync<long>("SELECT count(*) " + answer, [requestId, type.FullName!, .. more]);

    private async Task DeliverAsync(KnownPartiesRequested request)
    {
        var before = factory.Consumed.Of(request.EventId);
        await factory.Bus.Publish(request);
        await Eventually.HoldsAsync(() => Task.FromResult(factory.Consumed.Of(request.EventId) > before), TimeSpan.FromSeconds(60), "the request is answered");
    }
}
