using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Msp.Data;
using Msp.KnownParties;
using Msp.ServiceDefaults.Identity;
using Msp.Tenants.Domain;
using Msp.Testing;

namespace Msp.Tenants.Tests;

public sealed class TenantsFactory : ServiceFactory<Program>
{
    public const string AdminEmail = "admin@tests.local";
    public const string AdminPassword = "correct horse battery staple";
    public const int MaxFailedAccessAttempts = 3;

    /// <summary>A client signed in as the first Admin: every tenant in scope, every role's rights.</summary>
    public HttpClient Admin { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Admin = await SignedInClientAsync(AdminEmail, AdminPassword);
    }

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
    }

    /// <summary>A user made directly through Identity, as the invitation flow will make them.</summary>
    public async Task<User> CreateUserAsync(string role, string password, Guid? tenantId = null)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().AllowAll();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var email = $"u{Guid.NewGuid():N}@tests.local";
        var user = tenantId is { } t ? User.OfTenant(t, email, "Test User", DateTimeOffset.UtcNow) : User.Staff(email, "Test User", DateTimeOffset.UtcNow);
        var created = await users.CreateAsync(user, password);
        created.Succeeded.ShouldBeTrue(string.Join("; ", created.Errors.Select(e => e.Description)));
        (await users.AddToRoleAsync(user, role)).Succeeded.ShouldBeTrue();
        return user;
    }

    public static object NewTenant(string? slug = null) => new
    {
        name = "Acme Dental",
        slug = slug ?? UniqueSlug(),
        timeZone = "Europe/Paris",
        country = "FR",
        primaryContact = new { name = "Claire Martin", email = "it@acme.example", phone = "+33 1 23 45 67 89" },
    };

    public static string UniqueSlug() => "t" + Guid.NewGuid().ToString("N")[..12];

    public async Task<Guid> CreateTenantAsync(HttpClient client, string? slug = null)
    {
        var response = await client.PostAsJsonAsync("/api/tenants", NewTenant(slug));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IdOnly>())!.Id;
    }

    public Task<long> CountAsync(string table, string slugOrPayloadFragment) => table == "tenants"
        ? Database.ScalarAsync<long>("SELECT count(*) FROM tenants WHERE slug = $1", slugOrPayloadFragment)
        : Database.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE payload->>'slug' = $1", slugOrPayloadFragment);

    private sealed record IdOnly(Guid Id);
}

[CollectionDefinition(nameof(TenantsCollection))]
public sealed class TenantsCollection : ICollectionFixture<TenantsFactory>;
