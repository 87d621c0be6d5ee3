using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Msp.ServiceDefaults.Identity;
using Msp.KnownParties;
using Msp.Data;

namespace Msp.Testing;

/// <summary>Someone calling a service: their id, role and tenants, as the Tenants service would put them in a token.</summary>
public sealed record Caller(Guid Id, string Role, Guid? TenantId = null, Guid[]? AssignedTenants = null, bool AllTenants = false)
{
    public static Caller Client(string role, Guid tenantId) => new(Guid.CreateVersion7(), role, tenantId);

    public static Caller Technician(params Guid[] assigned) => new(Guid.CreateVersion7(), MspRoles.Technician, AssignedTenants: assigned);

    public static Caller Staff(string role) => new(Guid.CreateVersion7(), role, AllTenants: role != MspRoles.Technician);
}

/// <summary>Access tokens for the services that do not issue them: protected with the host's own bearer-token
/// protector and key ring, exactly as the Tenants service protects the tokens it issues.</summary>
public static class TestTokens
{
    public static string For(IServiceProvider services, Caller caller, DateTimeOffset? issuedAt = null)
    {
        var identity = new ClaimsIdentity(MspAuthentication.Scheme);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, caller.Id.ToString()));
        identity.AddClaim(new Claim(ClaimTypes.Name, $"{caller.Role.ToLowerInvariant()}-{caller.Id:N}@tests.local"));
        identity.AddClaim(new Claim(ClaimTypes.Role, caller.Role));
        if (caller.TenantId is { } tenant)
        {
            identity.AddClaim(new Claim(MspClaims.TenantId, tenant.ToString()));
        }
        else if (caller.AllTenants)
        {
            identity.AddClaim(new Claim(MspClaims.AllTenants, "true"));
        }
        else
        {
            identity.AddClaims((caller.AssignedTenants ?? []).Select(t => new Claim(MspClaims.AssignedTenant, t.ToString())));
        }

        var options = services.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(MspAuthentication.Scheme);
        var issued = issuedAt ?? DateTimeOffset.UtcNow;
        identity.AddClaim(new Claim(MspClaims.IssuedAt, issued.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var properties = new AuthenticationProperties { IssuedUtc = issued, ExpiresUtc = issued + options.BearerTokenExpiration };
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(identity), properties, $"{MspAuthentication.Scheme}:AccessToken");
        return options.BearerTokenProtector.Protect(ticket);
    }

    public static HttpClient SignedIn(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
