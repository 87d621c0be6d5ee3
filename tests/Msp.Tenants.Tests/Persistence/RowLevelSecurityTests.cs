using Msp.Testing;
using Npgsql;

namespace Msp.Tenants.Tests.Persistence;

[Collection(nameof(TenantsCollection))]
public sealed class RowLevelSecurityTests(TenantsFactory factory)
{
    [Fact]
    public async Task EveryTenantOwnedTable_HasRowLevelSecurityEnabledAndForced()
    {
        var tables = await RowLevelSecurity.TenantOwnedTablesAsync(factory.Database);

        tables.Select(t => t.Table).ShouldContain("tenants");
        tables.ShouldAllBe(t => t.Enabled && t.Forced);
    }

    [Fact]
    public async Task TheApplicationRole_SeesOnlyTheTenantsInItsScope_AndCannotInsertOutsideIt()
    {
        var client = factory.Admin;
        var mine = await factory.CreateTenantAsync(client);
        await factory.CreateTenantAsync(client);

        await using (var unscoped = await RowLevelSecurity.OpenAsApplicationAsync(factory.Database))
        {
            (await RowLevelSecurity.CountAsync(unscoped, "tenants")).ShouldBe(0);
            await using var insert = new NpgsqlCommand("""
                INSERT INTO tenants (id, name, slug, time_zone, country, status, version, created_at, updated_at)
                VALUES (gen_random_uuid(), 'Sneaky', 'sneaky', 'UTC', 'FR', 'Active', 1, now(), now())
                """, unscoped);
            (await Should.ThrowAsync<PostgresException>(() => insert.ExecuteNonQueryAsync())).SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        }

        await using var scoped = await RowLevelSecurity.OpenAsApplicationAsync(factory.Database, mine);
        (await RowLevelSecurity.CountAsync(scoped, "tenants")).ShouldBe(1);
        await using var read = new NpgsqlCommand("SELECT id FROM tenants", scoped);
        ((Guid)(await read.ExecuteScalarAsync())!).ShouldBe(mine);
    }
}
