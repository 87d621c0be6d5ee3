using System.Net;
using Msp.Contracts;
using Msp.Contracts.Tenants;
using Msp.Data;
using Msp.KnownParties;
using Msp.ServiceDefaults.Identity;

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
