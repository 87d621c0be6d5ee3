using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Msp.Browser.Screens;

namespace Msp.Browser.Portal;

/// <summary>Acceptance 5 of issue 19: the user's access and refresh tokens stay on the server. The test reads the
/// session's real tokens from the web app's database (decrypting them with the platform's key ring) and looks for
/// them everywhere the browser could hold them.</summary>
[Collection(nameof(PortalCollection))]
public sealed class TokenTests(PortalFixture portal)
{
    [Fact]
    public async Task NoAccessOrRefreshToken_IsInAnyPage_ScriptReadableCookie_OrBrowserStorage()
    {
        var (tenant, _) = await portal.TenantAsync();
        var user = await portal.ClientAsync(tenant, "ClientAdmin", "Tess Token");
        var (ticketId, _) = await PortalFixture.OpenTicketAsync(user, "Where do tokens live?");
        await using var visit = await portal.VisitAsync();
        var pages = new List<string>();
        await visit.GoAsync("/account/signin");
        pages.Add(await visit.Page.ContentAsync());
        await new SignInScreen(visit).SignInAsync(user.Email, user.Password);
        foreach (var path in new[] { "/portal", $"/portal/tickets/{ticketId}", "/portal/tickets/new", "/portal/company/users", "/account/profile" })
        {
            await visit.GoAsync(path);
            pages.Add(await visit.Page.ContentAsync());
        }

        var tokens = await SessionTokensAsync(user.Id);
        using (var api = portal.Platform.Anonymous())
        {
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Access);
            (await api.GetAsync("/api/auth/me")).EnsureSuccessStatusCode(); // these are the session's real tokens
        }

        var cookies = await visit.Context.CookiesAsync();
        cookies.ShouldNotBeEmpty();
        cookies.ShouldAllBe(c => c.HttpOnly, "every cookie of the portal is out of scripts' reach");
        var scriptCookies = await visit.Page.EvaluateAsync<string>("() => document.cookie");
        scriptCookies.ShouldBeEmpty();
        var storage = await visit.Page.EvaluateAsync<string>("() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } })");
        var everything = string.Join('\n', pages.Append(scriptCookies).Append(storage).Concat(cookies.Select(c => c.Value)));
        foreach (var token in new[] { tokens.Access, tokens.Refresh })
        {
            everything.ShouldNotContain(token);
            everything.ShouldNotContain(Uri.EscapeDataString(token));
        }
    }

    private async Task<(string Access, string Refresh)> SessionTokensAsync(Guid userId)
    {
        var protector = DataProtectionProvider.Create(new DirectoryInfo(portal.Platform.KeysPath), b => b.SetApplicationName("Msp"))
            .CreateProtector("Msp.Web.Sessions");
        var web = portal.Platform.Databases["web"];
        string Read(byte[] value) => Encoding.UTF8.GetString(protector.Unprotect(value));
        var access = await web.ScalarAsync<byte[]>("SELECT access_token FROM sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1", userId);
        var refresh = await web.ScalarAsync<byte[]>("SELECT refresh_token FROM sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1", userId);
        return (Read(access), Read(refresh));
    }
}
