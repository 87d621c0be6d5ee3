using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Tenants.Domain;
using Msp.Testing;

namespace Msp.Tenants.Tests.Features.SuspendTenant;

/// <summary>Suspending a client and reactivating it (decision 0116): what it does to the client's users' sign-ins and
/// sessions, what it announces, and who may do it.</summary>
[Collection(nameof(TenantsCollection))]
public sealed class SuspendTenantTests(TenantsFactory factory)
{
    private const string Password = "a long enough password";

    private Task<HttpResponseMessage> LoginAsync(string email, string password = Password) =>
        factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password });

    private Task<long> TenantEventsAsync(string type, Guid tenantId) => factory.Database.ScalarAsync<long>(
        "SELECT count(*) FROM outbox WHERE message_type LIKE '%.' || $1 AND payload->>'tenantId' = $2", type, tenantId.ToString());

    [Fact]
    public async Task ASuspendedClientsUser_IsRefusedSignInWithAProblemSayingSo_AndSignsInAgainOnceReactivated()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var user = await factory.CreateUserAsync(Roles.ClientUser, Password, tenant);

        var suspended = await (await factory.Admin.PostAsync($"/api/tenants/{tenant}/suspend", null)).JsonAsync(HttpStatusCode.OK);

        suspended.GetProperty("status").GetString().ShouldBe("Suspended");
        var refused = await LoginAsync(user.Email!);
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("title").GetString().ShouldBe("Client suspended");
        problem.GetProperty("detail").GetString()!.ShouldContain("suspended");
        (await TenantEventsAsync("TenantSuspended", tenant)).ShouldBe(1);
        (await TenantEventsAsync("TenantUpdated", tenant)).ShouldBe(1);

        var reactivated = await (await factory.Admin.PostAsync($"/api/tenants/{tenant}/reactivate", null)).JsonAsync(HttpStatusCode.OK);

        reactivated.GetProperty("status").GetString().ShouldBe("Active");
        (await LoginAsync(user.Email!)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await TenantEventsAsync("TenantReactivated", tenant)).ShouldBe(1);
        (await factory.Admin.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenant}")).GetProperty("version").GetInt64()
            .ShouldBe(suspended.GetProperty("version").GetInt64() + 1);
    }

    [Fact]
    public async Task AWrongPassword_ForASuspendedClientsUser_IsTheUsualWrongCredentials_SoSuspensionDoesNotLeak()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var user = await factory.CreateUserAsync(Roles.ClientUser, Password, tenant);
        (await factory.Admin.PostAsync($"/api/tenants/{tenant}/suspend", null)).EnsureSuccessStatusCode();

        (await LoginAsync(user.Email!, "not the password at all")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ASessionOpenBeforeTheSuspension_CannotRefresh_NorComeBackAfterTheReactivation()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var user = await factory.CreateUserAsync(Roles.ClientAdmin, Password, tenant);
        var (_, refresh) = await factory.LoginAsync(user.Email!, Password);
        (await factory.Admin.PostAsync($"/api/tenants/{tenant}/suspend", null)).EnsureSuccessStatusCode();

        var refused = await factory.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = refresh });

        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString().ShouldBe("Client suspended");
        (await factory.Admin.PostAsync($"/api/tenants/{tenant}/reactivate", null)).EnsureSuccessStatusCode();
        (await factory.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = refresh })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Staff_StillSignIn_WhileAClientIsSuspended()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var technician = await factory.CreateUserAsync(Roles.Technician, Password);
        (await factory.Admin.PostAsync($"/api/tenants/{tenant}/suspend", null)).EnsureSuccessStatusCode();

        (await LoginAsync(technician.Email!)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await factory.Admin.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenant}")).GetProperty("status").GetString().ShouldBe("Suspended");
    }

    [Fact]
    public async Task SuspendingASuspendedClient_OrReactivatingAnActiveOne_IsAConflictNamingTheStatus_AndAnnouncesNothing()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);

        await (await factory.Admin.PostAsync($"/api/tenants/{tenant}/reactivate", null)).ShouldNameAsync(HttpStatusCode.Conflict, "status");
        (await factory.Admin.PostAsync($"/api/tenants/{tenant}/suspend", null)).EnsureSuccessStatusCode();
        await (await factory.Admin.PostAsync($"/api/tenants/{tenant}/suspend", null)).ShouldNameAsync(HttpStatusCode.Conflict, "status");

        (await TenantEventsAsync("TenantSuspended", tenant)).ShouldBe(1);
        (await TenantEventsAsync("TenantReactivated", tenant)).ShouldBe(0);
    }

    [Fact]
    public async Task ManySuspensionsAtOnce_OneWins_TheOthersConflict()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);

        var answers = await ProblemAssertions.AllAtOnceAsync(5, _ => factory.Admin.PostAsync($"/api/tenants/{tenant}/suspend", null));

        answers.Count(a => a.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        answers.Count(a => a.StatusCode == HttpStatusCode.Conflict).ShouldBe(4);
        (await TenantEventsAsync("TenantSuspended", tenant)).ShouldBe(1);
    }

    [Theory]
    [InlineData("suspend")]
    [InlineData("reactivate")]
    public async Task AnUnknownClient_IsNotFound(string action) =>
        (await factory.Admin.PostAsync($"/api/tenants/{Guid.NewGuid()}/{action}", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

    [Fact]
    public async Task AClientAdmin_MayNotSuspendTheirOwnClient_NorAnotherOne()
    {
        var own = await factory.CreateTenantAsync(factory.Admin);
        var other = await factory.CreateTenantAsync(factory.Admin);
        var clientAdmin = await factory.SignedInClientAsync((await factory.CreateUserAsync(Roles.ClientAdmin, Password, own)).Email!, Password);

        (await clientAdmin.PostAsync($"/api/tenants/{own}/suspend", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await clientAdmin.PostAsync($"/api/tenants/{other}/suspend", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await factory.Admin.GetFromJsonAsync<JsonElement>($"/api/tenants/{own}")).GetProperty("status").GetString().ShouldBe("Active");
    }

    [Fact]
    public async Task AnOperator_SuspendsAndReactivates()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var operatorClient = await factory.SignedInClientAsync((await factory.CreateUserAsync(Roles.Operator, Password)).Email!, Password);

        (await operatorClient.PostAsync($"/api/tenants/{tenant}/suspend", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await operatorClient.PostAsync($"/api/tenants/{tenant}/reactivate", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
