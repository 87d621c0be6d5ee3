using Msp.Testing;
using Msp.Tenants.Domain;

namespace Msp.Tenants.Tests.Identity;

/// <summary>Replicas of Tenants started at the same moment on a fresh database (<c>./msp up --replicas 2</c>, a
/// Kubernetes rollout) create the roles and the first Admin once, and both start.</summary>
public sealed class SeedFirstAdminTests
{
    [Fact]
    public async Task TwoReplicasStartingAtOnce_OnAFreshDatabase_CreateTheRolesAndTheFirstAdminOnce()
    {
        var database = await TestServers.CreateDatabaseAsync("tenants");
        var rabbit = await TestServers.CreateVirtualHostAsync("tenants");
        await using var first = new ServiceFactory<Program> { OnDatabase = database, JoinRabbitMq = rabbit };
        await using var second = new ServiceFactory<Program> { OnDatabase = database, JoinRabbitMq = rabbit };

        // Each on a thread of its own: a host starts synchronously, and the two must seed at the same moment.
        await Task.WhenAll(
            Task.Run(() => ((IAsyncLifetime)first).InitializeAsync()),
            Task.Run(() => ((IAsyncLifetime)second).InitializeAsync()));

        (await database.ScalarAsync<long>("SELECT count(*) FROM roles")).ShouldBe(Roles.All.Length);
        (await database.ScalarAsync<long>("SELECT count(*) FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE r.name = $1", Roles.Admin))
            .ShouldBe(1);
        (await first.CreateClient().GetAsync("/health/ready")).IsSuccessStatusCode.ShouldBeTrue();
        (await second.CreateClient().GetAsync("/health/ready")).IsSuccessStatusCode.ShouldBeTrue();
    }
}
