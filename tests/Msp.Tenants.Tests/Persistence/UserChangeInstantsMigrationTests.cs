using Microsoft.Extensions.Logging.Abstractions;
using Msp.Data;
using Msp.Messaging;
using Msp.Tenants.Persistence;
using Msp.Testing;

namespace Msp.Tenants.Tests.Persistence;

/// <summary>Migration 0007 takes each user's last reactivation, role change, replacement of tenants and profile change
/// from the events the outbox holds, to the microsecond the services' copies stored (decision 0128).</summary>
public sealed class UserChangeInstantsMigrationTests
{
    [Fact]
    public async Task EachUsersLastChangeOfEachKind_IsTakenFromTheOutbox_CutToMicroseconds()
    {
        var database = await TestServers.CreateDatabaseAsync("tenants_instants");
        var migrations = Migration.EmbeddedIn(typeof(ServiceDatabase).Assembly)
            .Concat(Migration.EmbeddedIn(typeof(OutboxMessage).Assembly))
            .Concat(Migration.EmbeddedIn(typeof(TenantsDb).Assembly))
            .ToList();
        await new MigrationRunner(database.OwnerConnectionString, NullLogger.Instance)
            .ApplyAsync(migrations.Where(m => string.CompareOrdinal(m.Version, "0007") < 0), CancellationToken.None);
        var (changed, untouched) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        foreach (var user in new[] { changed, untouched })
        {
            await database.ScalarAsync<int>("""
                INSERT INTO users (id, display_name, is_active, created_at, email_confirmed, phone_number_confirmed, two_factor_enabled,
                                   lockout_enabled, access_failed_count)
                VALUES ($1, 'Staff', true, '2026-01-05T08:00:00Z', false, false, false, true, 0) RETURNING 1
                """, user);
        }

        await EventAsync("UserRoleChanged", changed, "2026-02-01T10:00:00.1234567+00:00");
        await EventAsync("UserRoleChanged", changed, "2026-02-03T10:00:00.9999999+00:00"); // the last one counts, not rounded up
        await EventAsync("UserReactivated", changed, "2026-02-04T10:00:00.5+00:00");
        await EventAsync("TechnicianScopeChanged", changed, "2026-02-05T10:00:00.0000019+00:00");
        await EventAsync("UserProfileChanged", changed, "2026-02-06T10:00:00+00:00");
        await EventAsync("UserDeactivated", untouched, "2026-02-07T10:00:00+00:00");

        await new MigrationRunner(database.OwnerConnectionString, NullLogger.Instance).ApplyAsync(migrations, CancellationToken.None);

        (await InstantsAsync(changed)).ShouldBe(
            "2026-02-04 10:00:00.5|2026-02-03 10:00:00.999999|2026-02-05 10:00:00.000001|2026-02-06 10:00:00");
        (await InstantsAsync(untouched)).ShouldBe("|||");

        Task EventAsync(string type, Guid userId, string occurredAt) => database.ScalarAsync<int>("""
            INSERT INTO outbox (id, message_type, payload, tenant_id, occurred_at)
            VALUES (gen_random_uuid(), 'Msp.Contracts.Tenants.' || $1,
                    jsonb_build_object('eventId', gen_random_uuid(), 'userId', $2::uuid, 'occurredAt', $3::text), '00000000-0000-0000-0000-000000000000', now())
            RETURNING 1
            """, type, userId, occurredAt);

        Task<string> InstantsAsync(Guid userId) => database.ScalarAsync<string>("""
            SELECT concat_ws('|', coalesce((reactivated_at AT TIME ZONE 'UTC')::text, ''), coalesce((role_changed_at AT TIME ZONE 'UTC')::text, ''),
                             coalesce((scope_changed_at AT TIME ZONE 'UTC')::text, ''), coalesce((profile_changed_at AT TIME ZONE 'UTC')::text, ''))
            FROM users WHERE id = $1
            """, userId);
    }
}
