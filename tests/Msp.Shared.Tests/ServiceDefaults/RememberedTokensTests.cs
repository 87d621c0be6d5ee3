using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Msp.ServiceDefaults.Identity;
using Msp.KnownParties;

namespace Msp.Shared.Tests.ServiceDefaults;

/// <summary>An access token is decrypted once per process; forged and expired ones are never remembered.</summary>
public sealed class RememberedTokensTests
{
    private readonly CountingProtector protector = new(new TicketDataFormat(new EphemeralDataProtectionProvider().CreateProtector("tokens")));

    [Fact]
    public void AValidToken_IsDecryptedOnce_AndEveryReaderGetsItsOwnPrincipal()
    {
        var tokens = new RememberedTokens(protector, TimeProvider.System);
        var token = protector.Protect(Ticket(DateTimeOffset.UtcNow.AddMinutes(15)));

        var first = tokens.Unprotect(token)!;
        var second = tokens.Unprotect(token)!;
        var third = tokens.Unprotect(token)!;

        protector.Reads.ShouldBe(1);
        second.Principal.FindFirstValue(ClaimTypes.NameIdentifier).ShouldBe("user-1");
        third.Principal.IsInRole("Technician").ShouldBeTrue();
        second.Properties.ExpiresUtc.ShouldBe(first.Properties.ExpiresUtc);
        ((ClaimsIdentity)second.Principal.Identity!).AddClaim(new Claim("added", "by one request"));
        third.Principal.HasClaim(c => c.Type == "added").ShouldBeFalse();
        tokens.Unprotect(token)!.Principal.HasClaim(c => c.Type == "added").ShouldBeFalse();
    }

    [Fact]
    public void AForgedToken_IsReadEveryTime_AndRefusedEveryTime()
    {
        var tokens = new RememberedTokens(protector, TimeProvider.System);
        var forged = protector.Protect(Ticket(DateTimeOffset.UtcNow.AddMinutes(15)))[..^4] + "AAAA";

        tokens.Unprotect(forged).ShouldBeNull();
        tokens.Unprotect(forged).ShouldBeNull();

        protector.Reads.ShouldBe(2);
    }

    [Fact]
    public void AnExpiredToken_IsNotRemembered()
    {
        var tokens = new RememberedTokens(protector, TimeProvider.System);
        var expired = protector.Protect(Ticket(DateTimeOffset.UtcNow.AddMinutes(-1)));

        tokens.Unprotect(expired);
        tokens.Unprotect(expired);

        protector.Reads.ShouldBe(2);
    }

    [Fact]
    public void TheBearerHandler_ReadsTokensThroughIt()
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddMspAuthentication();
        using var services = builder.Services.BuildServiceProvider();

        services.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(MspAuthentication.Scheme).BearerTokenProtector
            .ShouldBeOfType<RememberedTokens>();
    }

    private static AuthenticationTicket Ticket(DateTimeOffset expires) => new(
        new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "user-1"), new Claim(ClaimTypes.Role, "Technician")], MspAuthentication.Scheme)),
        new AuthenticationProperties { ExpiresUtc = expires },
        MspAuthentication.Scheme);

    /// <summary>The real protector, counting how often a token is decrypted.</summary>
    private sealed class CountingProtector(ISecureDataFormat<AuthenticationTicket> inner) : ISecureDataFormat<AuthenticationTicket>
    {
        public int Reads { get; private set; }

        public string Protect(AuthenticationTicket data) => inner.Protect(data);

        public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

        public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

        public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
        {
            Reads++;
            return inner.Unprotect(protectedText, purpose);
        }
    }
}
