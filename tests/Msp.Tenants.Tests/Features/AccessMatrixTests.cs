using System.Net.Http.Json;
using Msp.Testing;
using Msp.Tenants.Domain;

namespace Msp.Tenants.Tests.Features;

/// <summary>The access matrix over every endpoint of the Tenants service, with users signed in through its own login.</summary>
[Collection(nameof(TenantsCollection))]
public sealed class AccessMatrixTests(TenantsFactory factory) : AccessMatrixContract<Program>(factory)
{
    private const string Password = "a long enough password";

    protected override int MinimumEndpoints => 20;

    /// <summary>The provider's staff are no tenant's: any member of staff lists them.</summary>
    protected override IReadOnlyCollection<string> SharedResources => ["/api/staff"];

    protected override bool ActsOnTheCallerOnly(ApiEndpoint endpoint) => endpoint.Pattern.StartsWith("/api/auth/", StringComparison.Ordinal);

    protected override Task<Guid> CreateTenantAsync() => factory.CreateTenantAsync(factory.Admin);

    protected override async Task<IReadOnlyDictionary<string, Guid>> SeedAsync(Guid tenantId)
    {
        var user = await factory.CreateUserAsync(Roles.ClientUser, Password, tenantId);
        var technician = await factory.CreateUserAsync(Roles.Technician, Password);
        return new Dictionary<string, Guid>
        {
            ["/api/tenants"] = tenantId,
            ["/api/users"] = user.Id,
            ["/api/staff"] = technician.Id,
        };
    }

    protected override async Task<HttpClient> SignedInAsync(Caller caller)
    {
        var user = await factory.CreateUserAsync(caller.Role, Password, caller.TenantId);
        if (caller.Role == Roles.Technician)
        {
            var assigned = await factory.Admin.PutAsJsonAsync($"/api/staff/{user.Id}/tenants", new { allTenants = caller.AllTenants, tenantIds = caller.AssignedTenants ?? [] });
            assigned.EnsureSuccessStatusCode();
        }

        return await factory.SignedInClientAsync(user.Email!, Password);
    }

    protected override object? Body(ApiEndpoint endpoint, Guid tenantId) => endpoint.Name switch
    {
        "POST /api/tenants" or "PUT /api/tenants/{id:guid}" => TenantsFactory.NewTenant(),
        "POST /api/tenants/{tenantId:guid}/users" => new { email = $"m{Guid.NewGuid():N}@tests.local", displayName = "Matrix", role = Roles.ClientUser },
        "POST /api/staff" => new { email = $"m{Guid.NewGuid():N}@tests.local", displayName = "Matrix", role = Roles.Technician },
        "PUT /api/staff/{id:guid}/tenants" => new { allTenants = false, tenantIds = new[] { tenantId } },
        "PUT /api/staff/{id:guid}/role" => new { role = Roles.Operator },
        "PUT /api/auth/me/profile" => new { displayName = "Matrix", language = "it", timeZone = "Europe/Rome" },
        "POST /api/auth/password/change" => new { currentPassword = "not the password", newPassword = "another long password" },
        _ => null,
    };
}
