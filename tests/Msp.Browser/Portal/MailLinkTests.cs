using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Msp.Browser.Screens;
using Msp.Testing;

namespace Msp.Browser.Portal;

/// <summary>Acceptance 5 of issue 22: the links in the invitation and reset mails work in a real browser. The mails are
/// read back from the real mail server the platform's Mail service sent them through.</summary>
[Collection(nameof(PortalCollection))]
public sealed partial class MailLinkTests(PortalFixture portal)
{
    private const string NewPassword = "Mailed-link-pw-2";

    [Fact]
    public async Task TheResetMailsLink_OpensThePortal_WhereTheNewPasswordIsSet_AndSignsIn()
    {
        var (tenant, _) = await portal.TenantAsync();
        var user = await portal.ClientAsync(tenant, "ClientUser", "Rita Reset");
        await using var visit = await portal.VisitAsync();
        await visit.GoAsync("/account/forgot");
        await visit.Page.GetByLabel("E-mail address").FillAsync(user.Email);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Send me a link" }).ClickAsync();
        await Expect(visit.Page.GetByText("a link to reset its password is on its way")).ToBeVisibleAsync();

        var link = await LinkInMailAsync(user.Email, "/account/reset?token=");
        await visit.Page.GotoAsync(link);
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Choose a new password" })).ToBeVisibleAsync();
        await visit.ShowsAsync("mail-reset-link");
        await visit.Page.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
        await visit.Page.GetByLabel("Type the new password again").FillAsync(NewPassword);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Save the new password" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account/signin?notice=reset");

        await new SignInScreen(visit).SignInAsync(user.Email, NewPassword);
        visit.Page.Url.ShouldContain("/portal");
        (await portal.Platform.Anonymous().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = user.Password }))
            .IsSuccessStatusCode.ShouldBeFalse("the old password no longer signs in");
    }

    [Fact]
    public async Task TheInvitationMailsLink_OpensThePortal_WhereTheInvitedUserChoosesAPassword_AndSignsIn()
    {
        var (tenant, _) = await portal.TenantAsync();
        var (_, email, _) = await portal.InviteAsync(tenant, "ClientUser", "Ivo Invited");

        var link = await LinkInMailAsync(email, "/account/accept?token=");
        await using var visit = await portal.VisitAsync();
        await visit.Page.GotoAsync(link);
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Accept your invitation" })).ToBeVisibleAsync();
        await visit.Page.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
        await visit.Page.GetByLabel("Type the new password again").FillAsync(NewPassword);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Set my password" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account/signin?notice=accepted");

        await new SignInScreen(visit).SignInAsync(email, NewPassword);
        visit.Page.Url.ShouldContain("/portal");
    }

    /// <summary>The portal link in the mail <paramref name="address"/> received, once it is in their mailbox (read over
    /// IMAP); it must point at the portal the browser uses.</summary>
    private async Task<string> LinkInMailAsync(string address, string path)
    {
        var mail = (await MailServer.Shared.WaitForMailAsync(address, m => m.TextBody?.Contains(path) == true, TimeSpan.FromSeconds(60))).Single();
        var link = Link().Match(mail.TextBody!).Value;
        link.ShouldStartWith(portal.Platform.PortalUrl.ToString().TrimEnd('/') + path, customMessage: $"the mail '{mail.Subject}' links the portal");
        mail.HtmlBody.ShouldNotBeNull().ShouldContain(System.Net.WebUtility.HtmlEncode(link));
        return link;
    }

    [GeneratedRegex(@"https?://\S+/account/(reset|accept)\?token=\S+")]
    private static partial Regex Link();
}
