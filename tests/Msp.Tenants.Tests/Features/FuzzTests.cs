using System.Text.Json.Nodes;
using Msp.Testing;
using Msp.Testing.Fuzzing;
using Msp.Tenants.Domain;
using Xunit.Abstractions;

namespace Msp.Tenants.Tests.Features;

/// <summary>The generated fuzz suite over every operation of the Tenants service (see <see cref="FuzzContract{TProgram}"/>),
/// with users signed in through its own login.</summary>
[Collection(nameof(TenantsCollection))]
public sealed class FuzzTests(TenantsFactory factory, ITestOutputHelper output) : FuzzContract<Program>(factory, output)
{
    private const string Password = "a long enough password";

    protected override int MinimumOperations => 15;

    protected override Task<Guid> CreateTenantAsync() => factory.CreateTenantAsync(factory.Admin);

    protected override async Task<HttpClient> SignedInAsync(Caller caller)
    {
        var user = await factory.CreateUserAsync(caller.Role, Password, caller.TenantId);
        return await factory.SignedInClientAsync(user.Email!, Password);
    }

    /// <summary>The tenant, another of its users and a technician, whom the fuzzed requests may deactivate and assign.</summary>
    protected override async Task<IReadOnlyDictionary<string, Guid>> SeedAsync(Guid tenantId, HttpClient client, HttpClient staff) =>
        new Dictionary<string, Guid>
        {
            ["/api/tenants"] = tenantId,
            ["/api/users"] = (await factory.CreateUserAsync(Roles.ClientUser, Password, tenantId)).Id,
            ["/api/staff"] = (await factory.CreateUserAsync(Roles.Technician, Password)).Id,
        };

    protected override IReadOnlyDictionary<string, JsonNode?> KnownValues(Guid tenantId, IReadOnlyDictionary<string, Guid> resources) =>
        new Dictionary<string, JsonNode?>
        {
            ["tenantIds"] = new JsonArray(tenantId.ToString()),
            ["slug"] = TenantsFactory.UniqueSlug(),
            ["timeZone"] = "Europe/Paris",
            ["country"] = "FR",
            ["role"] = Roles.ClientUser,
            ["password"] = Password,
        };

    /// <summary>A failed sign-in and a wrong current password count towards the account's lockout, and a refresh token
    /// presented twice ends its family: refusals that write, by design.</summary>
    protected override bool RefusalMayWrite(ApiOperation operation) =>
        operation.Name is "POST /api/auth/login" or "POST /api/auth/refresh" or "POST /api/auth/password/change";
}
