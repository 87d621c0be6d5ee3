using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Msp.ServiceDefaults.Tenancy;
using Msp.Tenants.Domain;
using Msp.Testing;

namespace Msp.Tenants.Tests;

public sealed class TenantsFactory : ServiceFactory<Program>
{
    public const string AdminEmail = "admin@tests.local";
    public const string AdminPassword = "correct horse battery staple";
    public const int MaxFailedAccessAttempts = 3;

    /// <summary>The host's clock: tests move it to expire a reset token or pass a throttle, and put it back.</summary>
    public TestClock Clock { get; } = new();

    /// <summary>A client signed in as the first Admin: every tenant in scope, every role's rights.</summary>
    public HttpClient Admin { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Admin = await SignedInClientAsync(AdminEmail, AdminPassword);
    }

    /// <summary>Signs the first Admin in again, after a test changed their role and so ended their sign-in.</summary>
    public async Task ReSignInAdminAsync() => Admin = await SignedInClientAsync(AdminEmail, AdminPassword);

    public async Task<HttpClient> SignedInClientAsync(string email, string password)
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("MSP_ADMIN_EMAIL", AdminEmail);
        builder.UseSetting("MSP_ADMIN_PASSWORD", AdminPassword);
        builder.UseSetting("Msp:Auth:MaxFailedAccessAttempts", MaxFailedAccessAttempts.ToString());
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>A user made directly through Identity, as the invitation flow will make them.</summary>
    public async Task<User> CreateUserAsync(string role, string password, Guid? tenantId = null, string displayName = "Test User")
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().AllowAll();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var email = $"u{Guid.NewGuid():N}@tests.local";
        var user = tenantId is { } t ? User.OfTenant(t, email, displayName, DateTimeOffset.UtcNow) : User.Staff(email, displayName, DateTimeOffset.UtcNow);
        var created = await users.CreateAsync(user, password);
        created.Succeeded.ShouldBeTrue(string.Join("; ", created.Errors.Select(e => e.Description)));
        (await users.AddToRoleAsync(user, role)).Succeeded.ShouldBeTrue();
        return user;
    }

    public static object NewTenant(string? slug = null, string timeZone = "Europe/Paris", string country = "FR") => new
    {
        name = "Acme Dental",
        slug = slug ?? UniqueSlug(),
        timeZone,
        country,
        primaryContact = new { name = "Claire Martin", email = "it@acme.example", phone = "+33 1 23 45 67 89" },
    };

    public static string UniqueSlug() => "t" + Guid.NewGuid().ToString("N")[..12];

    public async Task<Guid> CreateTenantAsync(HttpClient client, string? slug = null, string timeZone = "Europe/Paris", string country = "FR")
    {
        var response = await client.PostAsJsonAsync("/api/tenants", NewTenant(slug, timeZone, country));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IdOnly>())!.Id;
    }

    public Task<long> CountAsync(string table, string slugOrPayloadFragment) => table == "tenants"
        ? Database.ScalarAsync<long>("SELECT count(*) FROM tenants WHERE slug = $1", slugOrPayloadFragment)
        : Database.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE payload->>'slug' = $1", slugOrPayloadFragment);

    /// <summary>A user invited through the API who has not accepted yet: their id and invitation token.</summary>
    public async Task<(Guid Id, string Email, string Token)> InviteAsync(HttpClient by, Guid tenantId, string role = Roles.ClientUser, string displayName = "Invited")
    {
        var email = $"i{Guid.NewGuid():N}@tests.local";
        var response = await by.PostAsJsonAsync($"/api/tenants/{tenantId}/users", new { email, displayName, role });
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created);
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return (body.GetProperty("id").GetGuid(), email, body.GetProperty("invitationToken").GetString()!);
    }

    /// <summary>Signs in and answers both tokens, for tests about sign-ins.</summary>
    public async Task<(string AccessToken, string RefreshToken)> LoginAsync(string email, string password)
    {
        var response = await CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return (body.GetProperty("accessToken").GetString()!, body.GetProperty("refreshToken").GetString()!);
    }

    public HttpClient ClientWith(string accessToken) => CreateClient().SignedIn(accessToken);

    /// <summary>The payload of the newest event of a type the service wrote for a user, from its outbox.</summary>
    public async Task<System.Text.Json.JsonElement?> LastEventAsync(string type, Guid userId)
    {
        var payload = await Database.ScalarAsync<string?>(
            "SELECT payload::text FROM outbox WHERE message_type LIKE '%.' || $1 AND payload->>'userId' = $2 ORDER BY id DESC LIMIT 1", type, userId.ToString());
        return payload is null ? null : System.Text.Json.JsonDocument.Parse(payload).RootElement.Clone();
    }

    public Task<long> EventCountAsync(string type, Guid userId) => Database.ScalarAsync<long>(
        "SELECT count(*) FROM outbox WHERE message_type LIKE '%.' || $1 AND payload->>'userId' = $2", type, userId.ToString());

    private sealed record IdOnly(Guid Id);
}

[CollectionDefinition(nameof(TenantsCollection))]
public sealed class TenantsCollection : ICollectionFixture<TenantsFactory>;
