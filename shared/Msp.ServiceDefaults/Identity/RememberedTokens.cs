using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;

namespace Msp.ServiceDefaults.Identity;

/// <summary>Reads an access token once per process, not on every request. The bearer handler's protector decrypts and
/// verifies each token with Data Protection (AES and HMAC): under creation load that was 11 % of the gateway's CPU, and
/// every service paid it again. A token that reads as valid is remembered, by its whole text, until it expires
/// (decision 0021). Nothing is weakened:
/// <list type="bullet">
/// <item>only tokens that the protector read are remembered, so a forged one is refused every time;</item>
/// <item>the bearer handler still checks the expiry of each ticket it gets;</item>
/// <item>deactivation and changed scopes never depended on the token: they are checked against the user's state on
/// every request (decisions 0010, 0011).</item>
/// </list>
/// Each caller gets its own copy of the principal, so that no request can change what another one sees.</summary>
public sealed class RememberedTokens(ISecureDataFormat<AuthenticationTicket> protector, TimeProvider clock) : ISecureDataFormat<AuthenticationTicket>, IDisposable
{
    /// <summary>Tokens remembered at most; more active tokens than this are read as before.</summary>
    public const int Capacity = 5_000;

    private readonly MemoryCache remembered = new(new MemoryCacheOptions { SizeLimit = Capacity });

    public string Protect(AuthenticationTicket data) => protector.Protect(data);

    public string Protect(AuthenticationTicket data, string? purpose) => protector.Protect(data, purpose);

    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (protectedText is null || purpose is not null)
        {
            return protector.Unprotect(protectedText, purpose);
        }

        if (remembered.TryGetValue(protectedText, out AuthenticationTicket? known))
        {
            return Copy(known!);
        }

        var ticket = protector.Unprotect(protectedText);
        if (ticket?.Properties.ExpiresUtc is { } expires && expires > clock.GetUtcNow())
        {
            remembered.Set(protectedText, Copy(ticket), new MemoryCacheEntryOptions { AbsoluteExpiration = expires, Size = 1 });
        }

        return ticket;
    }

    public void Dispose() => remembered.Dispose();

    // ClaimsPrincipal.Clone shares its identities; each identity is cloned here, claims included.
    private static AuthenticationTicket Copy(AuthenticationTicket ticket) =>
        new(new ClaimsPrincipal(ticket.Principal.Identities.Select(i => i.Clone())), ticket.Properties.Clone(), ticket.AuthenticationScheme);
}
