using System.Net;
using Msp.Contracts;
using Msp.Contracts.Tenants;
using Msp.ServiceDefaults.Tenancy;

namespace Msp.Testing;

/// <summary>What every service that keeps a copy of the users must do with the Tenants service's user events, and
/// how it treats the tokens of users it knows to be deactivated or re-scoped.</summary>
public abstract class KnownUsersContract<TProgram>(ServiceFactory<TProgram> factory) where TProgram : class
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(10);

    /// <summary>A signed-in GET the service answers (any status but 401) for an active caller of the tenant.</summary>
    protected abstract string ProbePath(Guid tenantId);

    private static UserInvited Invited(Guid userId, Guid tenantId, string role) => new()
    {
        EventId = Guid.CreateVersion7(), TenantId = tenantId, OccurredAt = DateTimeOffset.UtcNow,
        UserId = userId, Email = $"{userId:N}@tests.local", DisplayName = "Known User", Role = role,
    };

    private static UserDeactivated Deactivated(Guid userId, Guid tenantId) => new()
    {
        EventId = Guid.CreateVersion7(), TenantId = tenantId, OccurredAt = DateTimeOffset.UtcNow, UserId = userId,
    };

    private static TechnicianScopeChanged ScopeChanged(Guid userId, DateTimeOffset at, params Guid[] tenants) => new()
    {
        EventId = Guid.CreateVersion7(), TenantId = Provider.TenantId, OccurredAt = at, UserId = userId, AllTenants = false, TenantIds = tenants,
    };

    private static UserDeactivated DeactivatedAt(Guid userId, Guid tenantId, DateTimeOffset at) => Deactivated(userId, tenantId) with { OccurredAt = at };

    private static UserReactivated Reactivated(Guid userId, Guid tenantId, DateTimeOffset at) => new()
    {
        EventId = Guid.CreateVersion7(), TenantId = tenantId, OccurredAt = at, UserId = userId,
    };

    private static UserRoleChanged RoleChanged(Guid userId, string role, DateTimeOffset at) => new()
    {
        EventId = Guid.CreateVersion7(), TenantId = Provider.TenantId, OccurredAt = at, UserId = userId, Role = role,
    };

    private static UserProfileChanged ProfileChanged(Guid userId, Guid tenantId, string name, DateTimeOffset at) => new()
    {
        EventId = Guid.CreateVersion7(), TenantId = tenantId, OccurredAt = at, UserId = userId,
        Email = $"{name.Replace(' ', '.').ToLowerInvariant()}@tests.local", DisplayName = name, Language = "en", TimeZone = "UTC",
    };

    private async Task PublishAndWaitAsync(IIntegrationEvent e)
    {
        await factory.Bus.Publish(e, e.GetType());
        await Eventually.HoldsAsync(() => Task.FromResult(factory.Consumed.Of(e.EventId) >= 1), Delivery, $"{e.GetType().Name} is consumed");
    }

    private HttpClient ClientFor(Caller caller, DateTimeOffset? issuedAt = null) =>
        factory.CreateClient().SignedIn(TestTokens.For(factory.Services, caller, issuedAt));

    [Fact]
    public async Task InvitedUsers_AreRecorded_StaffWithoutATenant()
    {
        var tenant = Guid.CreateVersion7();
        var client = Guid.CreateVersion7();
        var technician = Guid.CreateVersion7();

        await PublishAndWaitAsync(Invited(client, tenant, MspRoles.ClientUser));
        await PublishAndWaitAsync(Invited(technician, Provider.TenantId, MspRoles.Technician));

        (await factory.Database.ScalarAsync<string>("SELECT tenant_id::text FROM known_users WHERE id = $1", client)).ShouldBe(tenant.ToString());
        (await factory.Database.ScalarAsync<bool>("SELECT tenant_id IS NULL FROM known_users WHERE id = $1", technician)).ShouldBeTrue();
        (await factory.Database.ScalarAsync<string>("SELECT role FROM known_users WHERE id = $1", technician)).ShouldBe(MspRoles.Technician);
    }

    [Fact]
    public async Task ADeactivatedUsersToken_IsRefused_AndAnActiveOnesIsNot()
    {
        var tenant = Guid.CreateVersion7();
        var active = Caller.Client(MspRoles.ClientUser, tenant);
        var leaving = Caller.Client(MspRoles.ClientUser, tenant);
        await PublishAndWaitAsync(Invited(active.Id, tenant, active.Role));
        await PublishAndWaitAsync(Invited(leaving.Id, tenant, leaving.Role));
        var leavingClient = ClientFor(leaving);
        (await leavingClient.GetAsync(ProbePath(tenant))).StatusCode.ShouldNotBe(HttpStatusCode.Unauthorized);

        await PublishAndWaitAsync(Deactivated(leaving.Id, tenant));

        (await leavingClient.GetAsync(ProbePath(tenant))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await ClientFor(active).GetAsync(ProbePath(tenant))).StatusCode.ShouldNotBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ADeactivationThatOvertakesTheInvitation_Holds()
    {
        var tenant = Guid.CreateVersion7();
        var user = Caller.Client(MspRoles.ClientAdmin, tenant);

        await PublishAndWaitAsync(Deactivated(user.Id, tenant));
        await PublishAndWaitAsync(Invited(user.Id, tenant, user.Role));

        (await factory.Database.ScalarAsync<bool>("SELECT deactivated_at IS NOT NULL FROM known_users WHERE id = $1", user.Id)).ShouldBeTrue();
        (await factory.Database.ScalarAsync<string>("SELECT email FROM known_users WHERE id = $1", user.Id)).ShouldBe($"{user.Id:N}@tests.local");
        (await ClientFor(user).GetAsync(ProbePath(tenant))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ATechniciansScopeChange_RefusesOlderTokens_AndAnOlderChangeIsIgnored()
    {
        var a = Guid.CreateVersion7();
        var b = Guid.CreateVersion7();
        var technician = Caller.Technician(a);
        await PublishAndWaitAsync(Invited(technician.Id, Provider.TenantId, MspRoles.Technician));
        var issued = DateTimeOffset.UtcNow.AddSeconds(-5);
        var changedAt = DateTimeOffset.UtcNow.AddSeconds(-1);

        await PublishAndWaitAsync(ScopeChanged(technician.Id, changedAt, a, b));
        await PublishAndWaitAsync(ScopeChanged(technician.Id, changedAt.AddMinutes(-1), a));

        (await ClientFor(technician, issued).GetAsync(ProbePath(a))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var renewed = technician with { AssignedTenants = [a, b] };
        (await ClientFor(renewed).GetAsync(ProbePath(b))).StatusCode.ShouldNotBe(HttpStatusCode.Unauthorized);
        (await factory.Database.ScalarAsync<long>("SELECT cardinality(assigned_tenants) FROM known_users WHERE id = $1", technician.Id)).ShouldBe(2);
    }

    [Fact]
    public async Task ATokenIssuedMillisecondsAfterTheScopeChange_IsAccepted_AndOneIssuedJustBeforeIsNot()
    {
        var a = Guid.CreateVersion7();
        var technician = Caller.Technician(a);
        await PublishAndWaitAsync(Invited(technician.Id, Provider.TenantId, MspRoles.Technician));
        var changedAt = DateTimeOffset.UtcNow.AddSeconds(-30);
        changedAt = DateTimeOffset.FromUnixTimeSeconds(changedAt.ToUnixTimeSeconds()).AddMilliseconds(500);

        await PublishAndWaitAsync(ScopeChanged(technician.Id, changedAt, a));

        (await ClientFor(technician, changedAt.AddMilliseconds(20)).GetAsync(ProbePath(a))).StatusCode.ShouldNotBe(HttpStatusCode.Unauthorized);
        (await ClientFor(technician, changedAt.AddMilliseconds(-20)).GetAsync(ProbePath(a))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AReactivatedUser_IsAcceptedAgainAfterSigningIn_ButTokensFromBeforeTheDeactivationAreNot()
    {
        var tenant = Guid.CreateVersion7();
        var user = Caller.Client(MspRoles.ClientUser, tenant);
        var now = DateTimeOffset.UtcNow;
        await PublishAndWaitAsync(Invited(user.Id, tenant, user.Role) with { OccurredAt = now.AddMinutes(-10) });
        var before = ClientFor(user, now.AddMinutes(-5));

        await PublishAndWaitAsync(DeactivatedAt(user.Id, tenant, now.AddMinutes(-4)));
        (await ClientFor(user, now.AddMinutes(-3)).GetAsync(ProbePath(tenant))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await PublishAndWaitAsync(Reactivated(user.Id, tenant, now.AddMinutes(-2)));

        (await ClientFor(user, now.AddMinutes(-1)).GetAsync(ProbePath(tenant))).StatusCode.ShouldNotBe(HttpStatusCode.Unauthorized);
        (await before.GetAsync(ProbePath(tenant))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AReactivationOlderThanTheDeactivation_IsIgnored_AndADeactivationItUndidStaysUndone()
    {
        var tenant = Guid.CreateVersion7();
        var late = Caller.Client(MspRoles.ClientUser, tenant);
        var undone = Caller.Client(MspRoles.ClientAdmin, tenant);
        var now = DateTimeOffset.UtcNow;

        // Deactivated at -2, and a reactivation from -3 (it undid an earlier deactivation) arrives after it.
        await PublishAndWaitAsync(DeactivatedAt(late.Id, tenant, now.AddMinutes(-2)));
        await PublishAndWaitAsync(Reactivated(late.Id, tenant, now.AddMinutes(-3)));
        // Reactivated at -2, and the deactivation from -3 it undid arrives after it.
        await PublishAndWaitAsync(Reactivated(undone.Id, tenant, now.AddMinutes(-2)));
        await PublishAndWaitAsync(DeactivatedAt(undone.Id, tenant, now.AddMinutes(-3)));

        (await ClientFor(late).GetAsync(ProbePath(tenant))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await ClientFor(undone).GetAsync(ProbePath(tenant))).StatusCode.ShouldNotBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ARoleChange_RefusesOlderTokens_AndAnOlderChangeIsIgnored()
    {
        var user = Caller.Staff(MspRoles.Technician);
        var now = DateTimeOffset.UtcNow;
        await PublishAndWaitAsync(Invited(user.Id, Provider.TenantId, MspRoles.Technician) with { OccurredAt = now.AddMinutes(-10) });
        var tenant = Guid.CreateVersion7();

        await PublishAndWaitAsync(RoleChanged(user.Id, MspRoles.Operator, now.AddMinutes(-2)));
        await PublishAndWaitAsync(RoleChanged(user.Id, MspRoles.Admin, now.AddMinutes(-3)));
        await PublishAndWaitAsync(Invited(user.Id, Provider.TenantId, MspRoles.Technician) with { OccurredAt = now.AddMinutes(-4) });

        (await factory.Database.ScalarAsync<string>("SELECT role FROM known_users WHERE id = $1", user.Id)).ShouldBe(MspRoles.Operator);
        var promoted = user with { Role = MspRoles.Operator, AllTenants = true };
        (await ClientFor(promoted, now.AddMinutes(-5)).GetAsync(ProbePath(tenant))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await ClientFor(promoted, now.AddMinutes(-1)).GetAsync(ProbePath(tenant))).StatusCode.ShouldNotBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ProfileChanges_KeepTheNewestNameAndEmail_WhateverOrderTheyArriveIn()
    {
        var tenant = Guid.CreateVersion7();
        var user = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;

        await PublishAndWaitAsync(ProfileChanged(user, tenant, "Newest Name", now.AddMinutes(-1)));
        await PublishAndWaitAsync(ProfileChanged(user, tenant, "Older Name", now.AddMinutes(-2)));
        await PublishAndWaitAsync(Invited(user, tenant, MspRoles.ClientUser) with { OccurredAt = now.AddMinutes(-3) });

        (await factory.Database.ScalarAsync<string>("SELECT display_name FROM known_users WHERE id = $1", user)).ShouldBe("Newest Name");
        (await factory.Database.ScalarAsync<string>("SELECT email FROM known_users WHERE id = $1", user)).ShouldBe("newest.name@tests.local");
        (await factory.Database.ScalarAsync<string>("SELECT role FROM known_users WHERE id = $1", user)).ShouldBe(MspRoles.ClientUser);

        await PublishAndWaitAsync(Invited(user, tenant, MspRoles.ClientUser) with { OccurredAt = now, DisplayName = "Re-invited" });
        (await factory.Database.ScalarAsync<string>("SELECT display_name FROM known_users WHERE id = $1", user)).ShouldBe("Re-invited");
    }

    [Fact]
    public async Task KnownUsers_HaveRowLevelSecurity_StaffVisibleToEveryScope()
    {
        var a = Guid.CreateVersion7();
        var b = Guid.CreateVersion7();
        var staff = Guid.CreateVersion7();
        await PublishAndWaitAsync(Invited(Guid.CreateVersion7(), a, MspRoles.ClientUser));
        await PublishAndWaitAsync(Invited(Guid.CreateVersion7(), b, MspRoles.ClientUser));
        await PublishAndWaitAsync(Invited(staff, Provider.TenantId, MspRoles.Operator));

        await using var scoped = await RowLevelSecurity.OpenAsApplicationAsync(factory.Database, a);
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FILTER (WHERE tenant_id = $1), count(*) FILTER (WHERE tenant_id = $2), count(*) FILTER (WHERE id = $3) FROM known_users", scoped);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = a });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = b });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = staff });
        await using var row = await command.ExecuteReaderAsync();
        await row.ReadAsync();
        (row.GetInt64(0), row.GetInt64(1), row.GetInt64(2)).ShouldBe((1L, 0L, 1L));
    }
}
