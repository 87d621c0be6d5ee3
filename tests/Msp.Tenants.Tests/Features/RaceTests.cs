using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Msp.Tenants.Domain;
using Msp.Testing;
using Msp.Testing.Races;
using Xunit.Abstractions;

namespace Msp.Tenants.Tests.Features;

/// <summary>The race suite over the Tenants service's write endpoints (see <see cref="RaceContract"/>).</summary>
[Collection(nameof(TenantsCollection))]
public sealed class RaceTests(TenantsFactory factory, ITestOutputHelper output) : RaceContract(output)
{
    private const string Password = "a long enough password";

    private Func<Task<long>> Count(string sql, params object[] parameters) => () => factory.Database.ScalarAsync<long>(sql, parameters);

    protected override Task<JsonNode> DocumentAsync() => factory.CreateClient().GetFromJsonAsync<JsonNode>("/openapi/v1.json")!;

    protected override Task<HttpClient> StaffAsync() => Task.FromResult(factory.Admin);

    private async Task<string> RefreshTokenAsync(string email)
    {
        var login = await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password = Password });
        return (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("refreshToken").GetString()!;
    }

    protected override IEnumerable<Race> Races()
    {
        var slug = TenantsFactory.UniqueSlug();
        yield return Race.Once("POST /api/tenants", "one tenant per slug", () => Task.FromResult(new RaceSetup(factory.Admin,
            Json(HttpMethod.Post, "/api/tenants", TenantsFactory.NewTenant(slug)), Count("SELECT count(*) FROM tenants WHERE slug = $1", slug))));
        yield return Race.Once("PUT /api/tenants/{id}", "the same replacement of the same version", async () =>
        {
            var tenant = await factory.CreateTenantAsync(factory.Admin);
            var etag = (await factory.Admin.GetAsync($"/api/tenants/{tenant}")).Headers.ETag!.Tag;
            return new(factory.Admin, Json(HttpMethod.Put, $"/api/tenants/{tenant}", TenantsFactory.NewTenant(), ifMatch: etag),
                Count("SELECT count(*) FROM outbox WHERE message_type LIKE '%TenantUpdated' AND tenant_id = $1", tenant));
        }, losers: [409, 412]);
        yield return Race.Once("POST /api/tenants/{tenantId}/users", "one user per email (issue 24: the losers answered 500)", async () =>
        {
            var tenant = await factory.CreateTenantAsync(factory.Admin);
            var email = $"race{Guid.NewGuid():N}@tests.local";
            return new(factory.Admin, Json(HttpMethod.Post, $"/api/tenants/{tenant}/users", new { email, displayName = "Race", role = Roles.ClientUser }),
                Count("SELECT count(*) FROM users WHERE normalized_email = upper($1)", email));
        });
        yield return Race.Once("POST /api/staff", "one member of staff per email", () =>
        {
            var email = $"race{Guid.NewGuid():N}@tests.local";
            return Task.FromResult(new RaceSetup(factory.Admin, Json(HttpMethod.Post, "/api/staff", new { email, displayName = "Race", role = Roles.Technician }),
                Count("SELECT count(*) FROM users WHERE normalized_email = upper($1)", email)));
        });
        yield return Race.Idempotent("PUT /api/staff/{id}/tenants", "the same tenants set once (issue 24: the losers answered 500)", async () =>
        {
            var tenant = await factory.CreateTenantAsync(factory.Admin);
            var technician = await factory.CreateUserAsync(Roles.Technician, Password);
            return new(factory.Admin, Json(HttpMethod.Put, $"/api/staff/{technician.Id}/tenants", new { allTenants = false, tenantIds = new[] { tenant } }),
                Count("SELECT count(*) FROM outbox WHERE message_type LIKE '%TechnicianScopeChanged' AND payload->>'userId' = $1", technician.Id.ToString()));
        });
        yield return Race.Converges("POST /api/users/{id}/deactivate", "deactivated once; a retry finds it done", async () =>
        {
            var tenant = await factory.CreateTenantAsync(factory.Admin);
            var user = await factory.CreateUserAsync(Roles.ClientUser, Password, tenant);
            return new(factory.Admin, Json(HttpMethod.Post, $"/api/users/{user.Id}/deactivate"),
                Count("SELECT count(*) FROM outbox WHERE message_type LIKE '%UserDeactivated' AND payload->>'userId' = $1", user.Id.ToString()));
        });
        yield return Race.Appends("POST /api/auth/login", "every sign-in starts a sign-in of its own", async () =>
        {
            var user = await factory.CreateUserAsync(Roles.Technician, Password);
            return new(factory.CreateClient(), Json(HttpMethod.Post, "/api/auth/login", new { email = user.Email, password = Password }),
                Count("SELECT count(*) FROM refresh_tokens WHERE user_id = $1", user.Id));
        });
        yield return Race.Once("POST /api/auth/refresh", "a refresh token is spent once; the same token again is a replay (401)", async () =>
        {
            var user = await factory.CreateUserAsync(Roles.Technician, Password);
            var token = await RefreshTokenAsync(user.Email!);
            return new(factory.CreateClient(), Json(HttpMethod.Post, "/api/auth/refresh", new { refreshToken = token }),
                Count("SELECT count(*) FROM refresh_tokens WHERE user_id = $1", user.Id));
        }, losers: [401]);
        yield return Race.Idempotent("POST /api/auth/logout", "ending a sign-in twice ends it once", async () =>
        {
            var user = await factory.CreateUserAsync(Roles.Technician, Password);
            var token = await RefreshTokenAsync(user.Email!);
            return new(factory.CreateClient(), Json(HttpMethod.Post, "/api/auth/logout", new { refreshToken = token }),
                Count("SELECT count(*) FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NOT NULL", user.Id));
        });
        yield return Race.Once("POST /api/auth/invitations/accept", "an invitation is accepted once", async () =>
        {
            var tenant = await factory.CreateTenantAsync(factory.Admin);
            var invited = await factory.Admin.PostAsJsonAsync($"/api/tenants/{tenant}/users",
                new { email = $"race{Guid.NewGuid():N}@tests.local", displayName = "Race", role = Roles.ClientUser });
            var invitation = await invited.Content.ReadFromJsonAsync<JsonElement>();
            return new(factory.CreateClient(), Json(HttpMethod.Post, "/api/auth/invitations/accept",
                new { token = invitation.GetProperty("invitationToken").GetString(), password = Password }),
                Count("SELECT count(*) FROM invitations WHERE user_id = $1 AND accepted_at IS NOT NULL", invitation.GetProperty("id").GetGuid()));
        }, losers: [400, 409]);
    }
}
