using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Msp.Data;
using Msp.KnownParties;
using Msp.ServiceDefaults.Identity;

namespace Msp.Testing;

/// <summary>One endpoint of the running service, as the matrix calls it.</summary>
public sealed record ApiEndpoint(string Method, string Pattern, IReadOnlyList<string> Parameters, AuthorizationPolicy Policy)
{
    public string Name => $"{Method} {Pattern}";

    public bool IsWrite => Method is "POST" or "PUT" or "PATCH" or "DELETE";

    /// <summary>The literal path in front of a route parameter, which names what the parameter identifies:
    /// <c>/api/tenants/{tenantId}/users</c> → <c>/api/tenants</c>.</summary>
    public static string ResourceOf(string pattern, string parameter) =>
        pattern[..pattern.IndexOf("{" + parameter, StringComparison.Ordinal)].TrimEnd('/');
}

/// <summary>Who may reach what, proved from outside for every endpoint of a service. The endpoint list comes from
/// the running host, so an endpoint added later is in the matrix without editing it: no token answers 401; a
/// client or a technician addressing another tenant's resource gets 404 and changes nothing of it; a role the
/// endpoint's policy refuses gets 403, so a ClientUser calling a staff-only endpoint is refused.</summary>
public abstract class AccessMatrixContract<TProgram>(ServiceFactory<TProgram> factory) where TProgram : class
{
    /// <summary>A new tenant the service knows, ready to own resources.</summary>
    protected abstract Task<Guid> CreateTenantAsync();

    /// <summary>Resources of the tenant, by the route resource that identifies them (see <see cref="ApiEndpoint.ResourceOf"/>).
    /// Every route resource of the service must be present.</summary>
    protected abstract Task<IReadOnlyDictionary<string, Guid>> SeedAsync(Guid tenantId);

    /// <summary>A client signed in as <paramref name="caller"/> (the service's own sign-in, or a token it accepts).</summary>
    protected abstract Task<HttpClient> SignedInAsync(Caller caller);

    /// <summary>A valid body for a write endpoint acting on <paramref name="tenantId"/> (staff name the tenant in
    /// the body where the route does not); null for none.</summary>
    protected abstract object? Body(ApiEndpoint endpoint, Guid tenantId);

    /// <summary>The least number of endpoints the service has, so that an empty list cannot pass.</summary>
    protected abstract int MinimumEndpoints { get; }

    /// <summary>Endpoints that act only on the caller's own account (their profile, their password). They address no
    /// tenant's resource, so the cross-tenant check leaves them out; its snapshot still proves they change nothing of
    /// the other tenant.</summary>
    protected virtual bool ActsOnTheCallerOnly(ApiEndpoint endpoint) => false;

    /// <summary>Route resources that are no tenant's data (the provider's staff), which a list may show to any scope.</summary>
    protected virtual IReadOnlyCollection<string> SharedResources => [];

    private static readonly Guid NoSuchMessage = Guid.CreateVersion7();

    protected IReadOnlyList<ApiEndpoint> Endpoints()
    {
        var policies = factory.Services.GetRequiredService<IAuthorizationPolicyProvider>();
        return [.. factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            // Endpoints that answer any method are middleware mounted on a path (a jobs dashboard), with tests of their own.
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>() is not null)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(method => new ApiEndpoint(
                method,
                e.RoutePattern.RawText!.TrimEnd('/'),
                [.. e.RoutePattern.Parameters.Select(p => p.Name)],
                AuthorizationPolicy.CombineAsync(policies, e.Metadata.GetOrderedMetadata<IAuthorizeData>(), e.Metadata.GetOrderedMetadata<AuthorizationPolicy>())
                    .GetAwaiter().GetResult() ?? new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())))
            .OrderBy(e => e.Pattern).ThenBy(e => e.Method)];
    }

    /// <summary>Whether the endpoint's declared policy lets the role in (the matrix then expects 403 where it does not).</summary>
    protected async Task<bool> AdmitsAsync(ApiEndpoint endpoint, Caller caller)
    {
        var identity = new ClaimsIdentity("matrix");
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, caller.Id.ToString()));
        identity.AddClaim(new Claim(ClaimTypes.Role, caller.Role));
        if (caller.TenantId is { } tenant)
        {
            identity.AddClaim(new Claim(MspClaims.TenantId, tenant.ToString()));
        }

        var result = await factory.Services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(new ClaimsPrincipal(identity), endpoint.Policy);
        return result.Succeeded;
    }

    private HttpRequestMessage Request(ApiEndpoint endpoint, IReadOnlyDictionary<string, Guid> resources, Guid tenantId)
    {
        var url = endpoint.Pattern;
        foreach (var parameter in endpoint.Parameters)
        {
            var resource = ApiEndpoint.ResourceOf(endpoint.Pattern, parameter);
            // A failed message belongs to no tenant (decision 0114): any message id will do, the matrix proves who is refused.
            var id = resource.EndsWith("/failed-messages", StringComparison.Ordinal) ? NoSuchMessage : Guid.Empty;
            (id != Guid.Empty || resources.TryGetValue(resource, out id)).ShouldBeTrue($"The access matrix has no {resource} to put in {endpoint.Name}; seed one.");
            url = Regex.Replace(url, "{" + parameter + "[^}]*}", id.ToString());
        }

        var body = endpoint.IsWrite ? Body(endpoint, tenantId) : null;
        return new HttpRequestMessage(new HttpMethod(endpoint.Method), url) { Content = body is null ? null : JsonContent.Create(body) };
    }

    [Fact]
    public async Task EveryEndpoint_WithoutAToken_AnswersUnauthorized()
    {
        var tenant = await CreateTenantAsync();
        var resources = await SeedAsync(tenant);
        var anonymous = factory.CreateClient();
        var endpoints = Endpoints();

        endpoints.Count.ShouldBeGreaterThanOrEqualTo(MinimumEndpoints);
        foreach (var endpoint in endpoints)
        {
            var response = await anonymous.SendAsync(Request(endpoint, resources, tenant));
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, endpoint.Name);
        }
    }

    [Theory]
    [InlineData(MspRoles.ClientUser)]
    [InlineData(MspRoles.ClientAdmin)]
    [InlineData(MspRoles.Technician)]
    public async Task AnotherTenantsResources_AreNotFound_AndNothingOfThemChanges(string role)
    {
        var own = await CreateTenantAsync();
        var other = await CreateTenantAsync();
        var resources = await SeedAsync(other);
        await SeedAsync(own);
        var caller = role == MspRoles.Technician ? Caller.Technician(own) : Caller.Client(role, own);
        var client = await SignedInAsync(caller);
        var before = await TenantSnapshot.TakeAsync(factory.Database, other);

        var failures = new List<string>();
        var tenantData = resources.Where(r => !SharedResources.Contains(r.Key)).Select(r => r.Value).Append(other).ToList();
        foreach (var endpoint in Endpoints().Where(e => !ActsOnTheCallerOnly(e)))
        {
            var response = await client.SendAsync(Request(endpoint, resources, other));
            var answer = $"{endpoint.Name} as a {role} of another tenant: {(int)response.StatusCode}";
            if (!await AdmitsAsync(endpoint, caller))
            {
                Expect(failures, response, HttpStatusCode.Forbidden, answer);
            }
            else if (endpoint.Parameters.Count > 0 || (endpoint.IsWrite && caller.TenantId is null))
            {
                Expect(failures, response, HttpStatusCode.NotFound, answer);
            }
            else if (!endpoint.IsWrite)
            {
                var text = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode || tenantData.Any(id => text.Contains(id.ToString(), StringComparison.OrdinalIgnoreCase)))
                {
                    failures.Add($"{answer}, and it must list nothing of the other tenant: {text}");
                }
            }
        }

        failures.ShouldBeEmpty();
        (await TenantSnapshot.TakeAsync(factory.Database, other)).ShouldBe(before);
    }

    [Fact]
    public async Task AClientUser_IsRefusedEveryStaffOnlyEndpoint_EvenForTheirOwnTenant()
    {
        var own = await CreateTenantAsync();
        var resources = await SeedAsync(own);
        var caller = Caller.Client(MspRoles.ClientUser, own);
        var client = await SignedInAsync(caller);
        var before = await TenantSnapshot.TakeAsync(factory.Database, own);

        var refused = new List<ApiEndpoint>();
        foreach (var endpoint in Endpoints())
        {
            if (!await AdmitsAsync(endpoint, caller))
            {
                refused.Add(endpoint);
            }
        }

        refused.ShouldNotBeEmpty("every service has staff-only endpoints");
        var failures = new List<string>();
        foreach (var endpoint in refused)
        {
            var response = await client.SendAsync(Request(endpoint, resources, own));
            Expect(failures, response, HttpStatusCode.Forbidden, $"{endpoint.Name} as a ClientUser: {(int)response.StatusCode}");
        }

        failures.ShouldBeEmpty();
        (await TenantSnapshot.TakeAsync(factory.Database, own)).ShouldBe(before);
    }

    private static void Expect(List<string> failures, HttpResponseMessage response, HttpStatusCode expected, string answer)
    {
        if (response.StatusCode != expected)
        {
            failures.Add($"{answer}, expected {(int)expected}");
        }
    }
}
