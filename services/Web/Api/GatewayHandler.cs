using System.Net.Http.Headers;
using Msp.Web.Sessions;

namespace Msp.Web.Api;

/// <summary>Sends every API call as the signed-in user: their access token (refreshed when it expires within a minute)
/// as a bearer token, and the browser's address in <c>X-Forwarded-For</c>, so that the gateway, which trusts the web
/// app as a proxy, counts its per-address rate limit per person rather than for the web app as one client.</summary>
public sealed class GatewayHandler(IHttpContextAccessor accessor, SessionTokens tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = accessor.HttpContext;
        var address = context?.Connection.RemoteIpAddress?.ToString();
        if (address is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", address);
        }

        if (request.Headers.Authorization is null && context?.User.FindFirst(SessionStore.SessionKeyClaim)?.Value is { } session)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.AccessTokenAsync(session, address, cancellationToken));
        }

        if (context?.TraceIdentifier is { } correlation)
        {
            request.Headers.TryAddWithoutValidation("X-Correlation-Id", correlation);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
