using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Testing;

namespace Msp.Browser;

/// <summary>Someone who signs in to the portal in a test: their id, how they sign in, and the API as them.</summary>
public sealed record Person(Guid Id, string Email, string Password, string DisplayName, HttpClient Api);

/// <summary>One platform and one headless Chromium for every browser test: the services, the web app and the gateway
/// run as processes (<see cref="Platform"/>); the browser reaches them only through the gateway.</summary>
public sealed class PortalFixture : IAsyncLifetime
{
    public const string Password = "Portal-test-pw-1";

    private IPlaywright playwright = null!;

    public Platform Platform { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    public string Screenshots { get; } = Path.Combine(TestServers.RepoRoot, ".msp", "test", "screenshots");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Screenshots);
        SetDefaultExpectTimeout(60_000);
        var platform = Platform.InitializeAsync();
        playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        await platform;
    }

    /// <summary>A fresh browser profile (no cookies) at a desktop's or a phone's width, speaking <paramref name="locale"/>.</summary>
    public async Task<Visit> VisitAsync(string locale = "en-GB", bool phone = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Platform.PortalUrl.ToString().TrimEnd('/'),
            Locale = locale,
            ViewportSize = phone ? new ViewportSize { Width = 360, Height = 740 } : new ViewportSize { Width = 1280, Height = 800 },
            TimezoneId = "Europe/Paris",
        });
        // What a person waits for on this shared two-core machine can take seconds when other work runs beside it.
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        return new Visit(context, await context.NewPageAsync(), this, locale, phone);
    }

    /// <summary>A tenant whose users speak English (its country is GB; a user's language follows the tenant's country).</summary>
    public async Task<(Guid Id, string Slug)> TenantAsync() => (await TenantAsync("GB", "Europe/London"), "");

    /// <summary>A tenant of another country (its users' language follows it).</summary>
    public async Task<Guid> TenantAsync(string country, string timeZone)
    {
        var slug = "b" + Guid.NewGuid().ToString("N")[..12];
        var response = await Platform.Gateway.PostAsJsonAsync("/api/tenants", new { name = "Bottega " + slug[..5], slug, timeZone, country });
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        foreach (var service in Platform.Services.Skip(1))
        {
            await Eventually.HoldsAsync(
                async () => await Platform.Databases[service].ScalarAsync<long>("SELECT count(*) FROM known_tenants WHERE id = $1", id) == 1,
                TimeSpan.FromSeconds(60), $"{service} records the tenant");
        }

        return id;
    }

    /// <summary>Invites a client user as the first Admin and answers the invitation's token (the link's).</summary>
    public async Task<(Guid Id, string Email, string Token)> InviteAsync(Guid tenantId, string role, string displayName)
    {
        var email = $"{displayName.Split(' ')[0].ToLowerInvariant()}-{Guid.NewGuid():N}"[..24] + "@portal.test";
        var invited = await Platform.Gateway.PostAsJsonAsync($"/api/tenants/{tenantId}/users", new { email, displayName, role });
        invited.EnsureSuccessStatusCode();
        var body = await invited.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetGuid(), email, body.GetProperty("invitationToken").GetString()!);
    }

    /// <summary>A client user who accepted their invitation, with the API signed in as them.</summary>
    public async Task<Person> ClientAsync(Guid tenantId, string role, string displayName)
    {
        var (id, email, token) = await InviteAsync(tenantId, role, displayName);
        (await Platform.Gateway.PostAsJsonAsync("/api/auth/invitations/accept", new { token, password = Password })).EnsureSuccessStatusCode();
        return new Person(id, email, Password, displayName, await SignedInAsync(email, Password));
    }

    /// <summary>A technician assigned to <paramref name="tenants"/>, with the API signed in as them.</summary>
    public async Task<Person> TechnicianAsync(params Guid[] tenants)
    {
        var email = $"tech-{Guid.NewGuid():N}"[..20] + "@portal.test";
        var invited = await Platform.Gateway.PostAsJsonAsync("/api/staff", new { email, displayName = "Sam Support", role = "Technician" });
        invited.EnsureSuccessStatusCode();
        var body = await invited.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetGuid();
        (await Platform.Gateway.PostAsJsonAsync("/api/auth/invitations/accept", new { token = body.GetProperty("invitationToken").GetString(), password = Password })).EnsureSuccessStatusCode();
        (await Platform.Gateway.PutAsJsonAsync($"/api/staff/{id}/tenants", new { allTenants = false, tenantIds = tenants })).EnsureSuccessStatusCode();
        return new Person(id, email, Password, "Sam Support", await SignedInAsync(email, Password));
    }

    public async Task<HttpClient> SignedInAsync(string email, string password)
    {
        var client = Platform.Anonymous();
        var login = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        login.EnsureSuccessStatusCode();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        return client;
    }

    /// <summary>A ticket opened through the API by <paramref name="requester"/>.</summary>
    public static async Task<(Guid Id, string Reference)> OpenTicketAsync(Person requester, string subject)
    {
        var response = await requester.Api.PostAsJsonAsync("/api/tickets", new { subject, description = "Opened for the test.", impact = "Medium", urgency = "Medium" });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var ticket = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (ticket.GetProperty("id").GetGuid(), ticket.GetProperty("reference").GetString()!);
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
        await Platform.DisposeAsync();
    }
}

[CollectionDefinition(nameof(PortalCollection))]
public sealed class PortalCollection : ICollectionFixture<PortalFixture>;
