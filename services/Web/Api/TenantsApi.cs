using System.Net.Http.Headers;
using Msp.Web.Sessions;

namespace Msp.Web.Api;

/// <summary>Who the caller is (<c>GET /api/auth/me</c>). Language and time zone come from the profile.</summary>
public sealed record Me(
    Guid Id, string Email, string DisplayName, IReadOnlyList<string> Roles, Guid? TenantId, string? TenantName, string? Language, string? TimeZone,
    MeScope? Scope = null);

/// <summary>The tenants the caller's token reaches, as every service decides them from it.</summary>
public sealed record MeScope(bool AllTenants, IReadOnlyList<Guid> TenantIds);

public sealed record UserRow(
    Guid Id, string Email, string DisplayName, string Role, string Status, DateTimeOffset? InvitedAt, DateTimeOffset? ActivatedAt,
    DateTimeOffset? DeactivatedAt, string? Language, string? TimeZone);

public sealed record Invitation(Guid Id, string Email, string DisplayName, string Role, string InvitationToken, DateTimeOffset ExpiresAt);

public sealed record InvitationRenewal(string InvitationToken, DateTimeOffset ExpiresAt);

public sealed record ResetLink(string ResetToken, DateTimeOffset ExpiresAt);

/// <summary>Sign-in, the caller's own account, and a tenant's users, through the gateway.</summary>
public sealed partial class TenantsApi(HttpClient http) : ApiClient(http)
{
    public Task<TokenPair> LoginAsync(string email, string password, CancellationToken ct) =>
        SendAsync<TokenPair>(HttpMethod.Post, "/api/auth/login", new { email, password }, "Signing in", ct, anonymous: true);

    /// <summary>The user a new pair of tokens belongs to (before any session holds them).</summary>
    public async Task<Me> MeAsync(string accessToken, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await Http.SendAsync(request, ct);
        await EnsureAsync(response, "Your account", ct);
        return (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<Me>(response.Content, Json, ct))!;
    }

    public Task<Me> MeAsync(CancellationToken ct) => GetAsync<Me>("/api/auth/me", "Your account", ct);

    public Task<Me> UpdateProfileAsync(string displayName, string language, string timeZone, CancellationToken ct) =>
        SendAsync<Me>(HttpMethod.Put, "/api/auth/me/profile", new { displayName, language, timeZone }, "Your profile", ct);

    public Task ChangePasswordAsync(string currentPassword, string newPassword, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "/api/auth/password/change", new { currentPassword, newPassword }, "Your password", ct);

    public Task ForgotPasswordAsync(string email, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "/api/auth/password/forgot", new { email }, "A password reset", ct, anonymous: true);

    public Task ResetPasswordAsync(string token, string password, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "/api/auth/password/reset", new { token, password }, "A password reset", ct, anonymous: true);

    public Task AcceptInvitationAsync(string token, string password, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "/api/auth/invitations/accept", new { token, password }, "An invitation", ct, anonymous: true);

    public Task<Page<UserRow>> UsersAsync(Guid tenantId, string? q, string? cursor, int limit, CancellationToken ct) =>
        GetAsync<Page<UserRow>>(Query($"/api/tenants/{tenantId}/users", ("q", q), ("cursor", cursor), ("limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture))), "The company's users", ct);

    public Task<Invitation> InviteAsync(Guid tenantId, string email, string displayName, string role, CancellationToken ct) =>
        SendAsync<Invitation>(HttpMethod.Post, $"/api/tenants/{tenantId}/users", new { email, displayName, role }, "An invitation", ct);

    public Task<InvitationRenewal> ResendInvitationAsync(Guid userId, CancellationToken ct) =>
        SendAsync<InvitationRenewal>(HttpMethod.Post, $"/api/users/{userId}/invitation", null, "An invitation", ct);

    public Task DeactivateAsync(Guid userId, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"/api/users/{userId}/deactivate", null, "A user", ct);

    public Task ReactivateAsync(Guid userId, CancellationToken ct) =>
        SendAsync<UserRow>(HttpMethod.Post, $"/api/users/{userId}/reactivate", null, "A user", ct);

    public Task<ResetLink> ResetLinkAsync(Guid userId, CancellationToken ct) =>
        SendAsync<ResetLink>(HttpMethod.Post, $"/api/users/{userId}/password-reset", null, "A password reset", ct);
}
