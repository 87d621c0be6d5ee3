using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Msp.ServiceDefaults.Identity;

/// <summary>Every Msp process reads the same access tokens: the built-in bearer-token handler under one scheme name,
/// over the shared Data Protection key ring (<c>Msp:DataProtection:KeysPath</c>). The Tenants service issues them;
/// the gateway and every service validate them.</summary>
public static class MspAuthentication
{
    /// <summary>The scheme name is part of the token protector's purpose, so it must be the same everywhere.</summary>
    public const string Scheme = "Identity.Bearer";

    public static AuthenticationBuilderResult AddMspAuthentication(this WebApplicationBuilder builder)
    {
        var lifetime = builder.Configuration.GetValue("Msp:Auth:AccessTokenLifetime", TimeSpan.FromMinutes(15));
        builder.Services.AddMemoryCache();
        var authentication = builder.Services
            .AddAuthentication(Scheme)
            .AddBearerToken(Scheme, o => o.BearerTokenExpiration = lifetime);
        // After the handler's own setup has made the protector: each token is read once per process (RememberedTokens).
        builder.Services.AddOptions<BearerTokenOptions>(Scheme)
            .PostConfigure<TimeProvider>((o, clock) => o.BearerTokenProtector = new RememberedTokens(o.BearerTokenProtector, clock));
        var authorization = builder.Services.AddAuthorizationBuilder()
            .AddPolicy(MspPolicies.Staff, p => p.RequireRole(MspRoles.Technician, MspRoles.Operator, MspRoles.Admin))
            .AddPolicy(MspPolicies.Operators, p => p.RequireRole(MspRoles.Operator, MspRoles.Admin))
            .AddPolicy(MspPolicies.Admins, p => p.RequireRole(MspRoles.Admin))
            .AddPolicy(MspPolicies.Overseers, p => p.RequireRole(MspRoles.ClientAdmin, MspRoles.Technician, MspRoles.Operator, MspRoles.Admin));
        return new(authentication, authorization);
    }
}

public sealed record AuthenticationBuilderResult(
    Microsoft.AspNetCore.Authentication.AuthenticationBuilder Authentication,
    Microsoft.AspNetCore.Authorization.AuthorizationBuilder Authorization);

/// <summary>Policies shared by the services. A service may add its own beside them.</summary>
public static class MspPolicies
{
    /// <summary>The provider's people: technicians, operators, admins. Client roles are refused (403).</summary>
    public const string Staff = nameof(Staff);

    /// <summary>Account management: contracts, SLAs, billing, tenants.</summary>
    public const string Operators = nameof(Operators);

    public const string Admins = nameof(Admins);

    /// <summary>Those who oversee a tenant's service: its ClientAdmin (SLA status, invoices) and the provider's staff.</summary>
    public const string Overseers = nameof(Overseers);
}
