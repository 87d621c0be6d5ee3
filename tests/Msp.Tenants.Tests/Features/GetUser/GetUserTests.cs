using System.Net;
using Msp.Tenants.Domain;
using Msp.Testing;

namespace Msp.Tenants.Tests.Features.GetUser;

[Collection(nameof(TenantsCollection))]
public sealed class GetUserTests(TenantsFactory factory)
{
    private const string Password = "a long enough password";

    [Fact]
    public async Task AClientAdmin_ReadsTheirTenantsUser_ButNotAnotherTenantsOrStaff()
    {
        var own = await factory.CreateTenantAsync(factory.Admin);
        var other = await factory.CreateTenantAsync(factory.Admin);
        var admin = await factory.CreateUserAsync(Roles.ClientAdmin, Password, own);
        var colleague = await factory.CreateUserAsync(Roles.ClientUser, Password, own, "Colleague");
        var stranger = await factory.CreateUserAsync(Roles.ClientUser, Password, other);
        var technician = await factory.CreateUserAsync(Roles.Technician, Password);
        var client = await factory.SignedInClientAsync(admin.Email!, Password);

        var user = await (await client.GetAsync($"/api/users/{colleague.Id}")).JsonAsync(HttpStatusCode.OK);

        user.GetProperty("displayName").GetString().ShouldBe("Colleague");
        user.GetProperty("role").GetString().ShouldBe(Roles.ClientUser);
        user.GetProperty("status").GetString().ShouldBe("Active");
        user.GetProperty("tenantId").GetGuid().ShouldBe(own);
        (await client.GetAsync($"/api/users/{stranger.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync($"/api/users/{technician.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync($"/api/users/{Guid.CreateVersion7()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OperatorsReadStaff_InEnglishAndUtc()
    {
        var technician = await factory.CreateUserAsync(Roles.Technician, Password);
        var operatorClient = await factory.SignedInClientAsync((await factory.CreateUserAsync(Roles.Operator, Password)).Email!, Password);

        var user = await (await operatorClient.GetAsync($"/api/users/{technician.Id}")).JsonAsync(HttpStatusCode.OK);

        user.GetProperty("role").GetString().ShouldBe(Roles.Technician);
        user.GetProperty("language").GetString().ShouldBe("en");
        user.GetProperty("timeZone").GetString().ShouldBe("UTC");
    }

    [Theory]
    [InlineData(Roles.ClientUser)]
    [InlineData(Roles.Technician)]
    public async Task OtherRoles_AreForbidden_AndAnonymousUnauthorized(string role)
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var colleague = await factory.CreateUserAsync(Roles.ClientUser, Password, tenant);
        var client = await factory.SignedInClientAsync((await factory.CreateUserAsync(role, Password, role == Roles.ClientUser ? tenant : null)).Email!, Password);

        (await client.GetAsync($"/api/users/{colleague.Id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await factory.CreateClient().GetAsync($"/api/users/{colleague.Id}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
