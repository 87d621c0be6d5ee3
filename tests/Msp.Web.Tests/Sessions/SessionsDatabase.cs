using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Msp.Data;
using Msp.Testing;
using Msp.Web.Sessions;
using Npgsql;

namespace Msp.Web.Tests.Sessions;

/// <summary>A fresh web database (migrated as the web app migrates it) and a stand-in for the Tenants API's refresh,
/// which behaves like the real one: each refresh token spends once, and a second use is refused.</summary>
public sealed class SessionsDatabase : IAsyncLifetime
{
    private WebApplication api = null!;

    public TestDatabase Database { get; private set; } = null!;

    public NpgsqlDataSource Data { get; private set; } = null!;

    public IDataProtectionProvider Protection { get; } = DataProtectionProvider.Create(
        new DirectoryInfo(Path.Combine(Path.GetTempPath(), "msp-web-tests-keys")), b => b.SetApplicationName("Msp"));

    public Uri ApiUrl { get; private set; } = null!;

    /// <summary>Refresh tokens the stand-in API accepts (each once), and how many refreshes it answered.</summary>
    public ConcurrentDictionary<string, bool> LiveRefreshTokens { get; } = new();

    public int Refreshes;

    public async Task InitializeAsync()
    {
        Database = await TestServers.CreateDatabaseAsync("web_tests");
        await new MigrationRunner(Database.OwnerConnectionString, NullLogger.Instance).ApplyAsync(Migration.EmbeddedIn(typeof(SessionStore).Assembly), default);
        Data = NpgsqlDataSource.Create(Database.AppConnectionString);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        api = builder.Build();
        api.MapPost("/api/auth/refresh", async (RefreshBody body) =>
        {
            await Task.Delay(200); // a refresh takes a while: long enough for concurrent requests to pile up behind it
            if (body.RefreshToken is null || !LiveRefreshTokens.TryRemove(body.RefreshToken, out _))
            {
                return Results.Problem(statusCode: 401);
            }

            Interlocked.Increment(ref Refreshes);
            var next = "refresh-" + Guid.NewGuid();
            LiveRefreshTokens[next] = true;
            return Results.Json(new { accessToken = "access-" + Guid.NewGuid(), refreshToken = next, expiresIn = 900 });
        });
        api.MapPost("/api/auth/logout", (RefreshBody body) =>
        {
            LiveRefreshTokens.TryRemove(body.RefreshToken ?? "", out _);
            return Results.NoContent();
        });
        await api.StartAsync();
        ApiUrl = new Uri(api.Urls.Single());
    }

    public SessionStore Store(TimeProvider clock) => new(Data, Protection, clock, new WebOptions());

    public SessionTokens Tokens(TimeProvider clock) => new(Data, Protection, new Factory(ApiUrl), clock, NullLogger<SessionTokens>.Instance);

    /// <summary>A signed-in user's ticket as sign-in hands it to the session store: the principal and the tokens.</summary>
    public static AuthenticationTicket SignedIn(Guid userId, string access, string refresh, DateTimeOffset accessExpiresAt)
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId.ToString()), new Claim(ClaimTypes.Name, "Nora")], "Cookies"));
        var properties = new AuthenticationProperties { ExpiresUtc = DateTimeOffset.UtcNow.AddHours(8) };
        properties.StoreTokens(
        [
            new AuthenticationToken { Name = SessionStore.AccessToken, Value = access },
            new AuthenticationToken { Name = SessionStore.RefreshToken, Value = refresh },
            new AuthenticationToken { Name = SessionStore.AccessExpiresAt, Value = accessExpiresAt.ToString("o") },
        ]);
        return new AuthenticationTicket(principal, properties, "Cookies");
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        await Data.DisposeAsync();
    }

    private sealed record RefreshBody(string? RefreshToken);

    private sealed class Factory(Uri baseAddress) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new() { BaseAddress = baseAddress };
    }
}
