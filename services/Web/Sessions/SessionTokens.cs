using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Msp.Web.Api;
using Npgsql;
using NpgsqlTypes;

namespace Msp.Web.Sessions;

/// <summary>The API tokens of a session: the access token to send, refreshed when it expires within a minute.
/// The refresh token rotates and may be spent only once (a second use ends the sign-in), so a refresh happens under
/// the session row's lock (<c>SELECT … FOR UPDATE</c>): requests of one session on any replica wait for the one that
/// refreshes and then use its new pair.</summary>
public sealed class SessionTokens(NpgsqlDataSource data, IDataProtectionProvider protection, IHttpClientFactory http, TimeProvider clock, ILogger<SessionTokens> logger)
{
    public const string AuthClient = "msp-auth";

    /// <summary>How long before its expiry an access token is replaced.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(1);

    private readonly IDataProtector protector = protection.CreateProtector("Msp.Web.Sessions");

    // Decrypting the token for every API call of every page would cost more than the call; each replica remembers
    // the access token of a session until a minute before it expires (or the session ends here).
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset ExpiresAt)> remembered = new();

    public async Task<string> AccessTokenAsync(string sessionKey, string? clientAddress, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (remembered.TryGetValue(sessionKey, out var known) && known.ExpiresAt - now > RefreshMargin)
        {
            return known.Token;
        }

        await using (var read = data.CreateCommand("SELECT access_token, access_expires_at FROM sessions WHERE key_hash = $1 AND expires_at > $2"))
        {
            read.Parameters.Add(new() { Value = SessionStore.Hash(sessionKey) });
            read.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await using var row = await read.ExecuteReaderAsync(ct);
            if (!await row.ReadAsync(ct))
            {
                throw new SignInExpiredException();
            }

            var expiresAt = row.GetFieldValue<DateTimeOffset>(1);
            if (expiresAt - now > RefreshMargin)
            {
                var token = Unprotect(row.GetFieldValue<byte[]>(0));
                remembered[sessionKey] = (token, expiresAt);
                return token;
            }
        }

        return await RefreshAsync(sessionKey, clientAddress, ct);
    }

    /// <summary>Spends the refresh token for a new pair, unless another request did so while this one waited for the lock.</summary>
    public async Task<string> RefreshAsync(string sessionKey, string? clientAddress, CancellationToken ct)
    {
        await using var connection = await data.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        byte[] refreshProtected;
        await using (var read = new NpgsqlCommand(
            "SELECT access_token, access_expires_at, refresh_token FROM sessions WHERE key_hash = $1 AND expires_at > $2 FOR UPDATE", connection, tx))
        {
            read.Parameters.Add(new() { Value = SessionStore.Hash(sessionKey) });
            read.Parameters.Add(new() { Value = clock.GetUtcNow(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await using var row = await read.ExecuteReaderAsync(ct);
            if (!await row.ReadAsync(ct))
            {
                Forget(sessionKey);
                throw new SignInExpiredException();
            }

            var expiresAt = row.GetFieldValue<DateTimeOffset>(1);
            if (expiresAt - clock.GetUtcNow() > RefreshMargin)
            {
                var token = Unprotect(row.GetFieldValue<byte[]>(0));
                remembered[sessionKey] = (token, expiresAt);
                return token; // another request refreshed while this one waited
            }

            refreshProtected = row.GetFieldValue<byte[]>(2);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/refresh")
        {
            Content = JsonContent.Create(new { refreshToken = Unprotect(refreshProtected) }),
        };
        if (clientAddress is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", clientAddress);
        }

        using var response = await http.CreateClient(AuthClient).SendAsync(request, ct);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest or HttpStatusCode.Forbidden)
        {
            // Revoked, expired, spent elsewhere, or the user's client suspended (403, decision 0116): the sign-in is over.
            logger.LogInformation("A session's refresh was refused ({Status}); it ends", (int)response.StatusCode);
            await using (var delete = new NpgsqlCommand("DELETE FROM sessions WHERE key_hash = $1", connection, tx))
            {
                delete.Parameters.Add(new() { Value = SessionStore.Hash(sessionKey) });
                await delete.ExecuteNonQueryAsync(ct);
            }

            await tx.CommitAsync(ct);
            Forget(sessionKey);
            throw new SignInExpiredException();
        }

        response.EnsureSuccessStatusCode();
        var pair = await response.Content.ReadFromJsonAsync<TokenPair>(ct) ?? throw new InvalidOperationException("The refresh answered no tokens.");
        var now = clock.GetUtcNow();
        var newExpiry = now.AddSeconds(pair.ExpiresIn);
        await using (var update = new NpgsqlCommand(
            "UPDATE sessions SET access_token = $2, refresh_token = $3, access_expires_at = $4, refreshed_at = $5 WHERE key_hash = $1", connection, tx))
        {
            update.Parameters.Add(new() { Value = SessionStore.Hash(sessionKey) });
            update.Parameters.Add(new() { Value = protector.Protect(Encoding.UTF8.GetBytes(pair.AccessToken)) });
            update.Parameters.Add(new() { Value = protector.Protect(Encoding.UTF8.GetBytes(pair.RefreshToken)) });
            update.Parameters.Add(new() { Value = newExpiry, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            update.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await update.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        remembered[sessionKey] = (pair.AccessToken, newExpiry);
        return pair.AccessToken;
    }

    /// <summary>Ends the sign-in at the API (its refresh-token family is revoked) and forgets the session here.</summary>
    public async Task SignOutAsync(string sessionKey, CancellationToken ct)
    {
        Forget(sessionKey);
        await using var read = data.CreateCommand("DELETE FROM sessions WHERE key_hash = $1 RETURNING refresh_token");
        read.Parameters.Add(new() { Value = SessionStore.Hash(sessionKey) });
        if (await read.ExecuteScalarAsync(ct) is not byte[] refresh)
        {
            return;
        }

        try
        {
            using var response = await http.CreateClient(AuthClient).PostAsJsonAsync("/api/auth/logout", new { refreshToken = Unprotect(refresh) }, ct);
        }
        catch (HttpRequestException e)
        {
            // The session is gone here either way; its refresh token expires on its own.
            logger.LogWarning("Signing out at the API failed: {Error}", e.Message);
        }
    }

    public void Forget(string sessionKey) => remembered.TryRemove(sessionKey, out _);

    private string Unprotect(byte[] value) => Encoding.UTF8.GetString(protector.Unprotect(value));
}

/// <summary>What sign-in and refresh answer.</summary>
public sealed record TokenPair(string AccessToken, string RefreshToken, int ExpiresIn);
