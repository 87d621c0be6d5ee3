using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;
using NpgsqlTypes;

namespace Msp.Web.Sessions;

/// <summary>Keeps sign-in sessions server-side in the web app's database, so that the browser's cookie holds only a
/// random session key and any replica can serve (and refresh the tokens of) any session. The signed-in principal and
/// the API tokens are protected with Data Protection before they are written; the key is stored as its SHA-256.</summary>
public sealed class SessionStore(NpgsqlDataSource data, IDataProtectionProvider protection, TimeProvider clock, WebOptions options) : ITicketStore
{
    /// <summary>The claim the cookie handler adds to a principal it read through a session store.</summary>
    public const string SessionKeyClaim = "Microsoft.AspNetCore.Authentication.Cookies-SessionId";

    public const string AccessToken = "access_token";
    public const string RefreshToken = "refresh_token";
    public const string AccessExpiresAt = "expires_at";

    private readonly IDataProtector protector = protection.CreateProtector("Msp.Web.Sessions");

    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, CancellationToken.None);

    public async Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        var access = ticket.Properties.GetTokenValue(AccessToken) ?? throw new InvalidOperationException("A session starts with the user's tokens.");
        var refresh = ticket.Properties.GetTokenValue(RefreshToken) ?? throw new InvalidOperationException("A session starts with the user's tokens.");
        var accessExpiresAt = DateTimeOffset.Parse(ticket.Properties.GetTokenValue(AccessExpiresAt)!, System.Globalization.CultureInfo.InvariantCulture);
        ticket.Properties.StoreTokens([]); // the tokens live in their own columns, never in the principal's ticket
        var key = Base64UrlKey();
        var now = clock.GetUtcNow();
        await using var command = data.CreateCommand("""
            INSERT INTO sessions (key_hash, user_id, ticket, access_token, refresh_token, access_expires_at, created_at, expires_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """);
        command.Parameters.Add(new() { Value = Hash(key) });
        command.Parameters.Add(new() { Value = UserIdOf(ticket) });
        command.Parameters.Add(new() { Value = Protect(ticket) });
        command.Parameters.Add(new() { Value = protector.Protect(Encoding.UTF8.GetBytes(access)) });
        command.Parameters.Add(new() { Value = protector.Protect(Encoding.UTF8.GetBytes(refresh)) });
        command.Parameters.Add(new() { Value = accessExpiresAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = ExpiresAt(ticket, now), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, CancellationToken.None);

    /// <summary>A sliding renewal or a changed principal (a new display name or language): the tokens stay as they are.</summary>
    public async Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        ticket.Properties.StoreTokens([]);
        await using var command = data.CreateCommand("UPDATE sessions SET ticket = $2, expires_at = $3 WHERE key_hash = $1");
        command.Parameters.Add(new() { Value = Hash(key) });
        command.Parameters.Add(new() { Value = Protect(ticket) });
        command.Parameters.Add(new() { Value = ExpiresAt(ticket, clock.GetUtcNow()), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, CancellationToken.None);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken)
    {
        await using var command = data.CreateCommand("SELECT ticket FROM sessions WHERE key_hash = $1 AND expires_at > $2");
        command.Parameters.Add(new() { Value = Hash(key) });
        command.Parameters.Add(new() { Value = clock.GetUtcNow(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        if (await command.ExecuteScalarAsync(cancellationToken) is not byte[] protectedTicket)
        {
            return null;
        }

        try
        {
            // The cookie handler hands the pages the stored principal, not the cookie's; the API calls of a page find
            // their session (and so their tokens) by this claim.
            var ticket = TicketSerializer.Default.Deserialize(protector.Unprotect(protectedTicket));
            (ticket?.Principal.Identity as System.Security.Claims.ClaimsIdentity)?.AddClaim(new System.Security.Claims.Claim(SessionKeyClaim, key));
            return ticket;
        }
        catch (CryptographicException)
        {
            return null; // written under a key ring this process no longer has: the user signs in again
        }
    }

    public Task RemoveAsync(string key) => RemoveAsync(key, CancellationToken.None);

    public async Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        await using var command = data.CreateCommand("DELETE FROM sessions WHERE key_hash = $1");
        command.Parameters.Add(new() { Value = Hash(key) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Replaces the principal of a session (after the user changed their profile), keeping its tokens.</summary>
    public async Task ReplacePrincipalAsync(string key, System.Security.Claims.ClaimsPrincipal principal, CancellationToken ct)
    {
        var ticket = await RetrieveAsync(key, ct) ?? throw new Api.SignInExpiredException();
        await RenewAsync(key, new AuthenticationTicket(principal, ticket.Properties, ticket.AuthenticationScheme), ct);
    }

    internal static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private byte[] Protect(AuthenticationTicket ticket)
    {
        foreach (var identity in ticket.Principal.Identities)
        {
            foreach (var claim in identity.FindAll(SessionKeyClaim).ToList())
            {
                identity.TryRemoveClaim(claim); // never stored: it is the key the row is found by
            }
        }

        return protector.Protect(TicketSerializer.Default.Serialize(ticket));
    }

    private DateTimeOffset ExpiresAt(AuthenticationTicket ticket, DateTimeOffset now) => ticket.Properties.ExpiresUtc ?? now + options.SessionLifetime;

    private static Guid UserIdOf(AuthenticationTicket ticket) =>
        Guid.Parse(ticket.Principal.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value ?? throw new InvalidOperationException("A session needs the user's id."));

    private static string Base64UrlKey() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
