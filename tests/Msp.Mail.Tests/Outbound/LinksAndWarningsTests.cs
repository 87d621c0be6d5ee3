using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MimeKit;
using Msp.Contracts;
using Msp.Contracts.Slas;
using Msp.Testing;
using Xunit.Abstractions;

namespace Msp.Mail.Tests.Outbound;

/// <summary>Acceptance 5: the SLA warning mail reaches the assignee; the invitation and reset mails carry links whose
/// tokens work against the Tenants API. (The browser test that follows the reset link in the web app comes with the
/// web portal.)</summary>
[Collection(nameof(MailPlatformCollection))]
public sealed partial class LinksAndWarningsTests(MailPlatform platform, ITestOutputHelper output)
{
    [Fact]
    public async Task Acceptance5_TheSlaWarningMail_ReachesTheAssignee()
    {
        var (tenant, _) = await platform.TenantAsync();
        var client = await platform.ClientAsync(tenant);
        var technician = await platform.TechnicianAsync(tenant);
        var subject = "Server room too warm " + Guid.NewGuid().ToString("N")[..6];
        await platform.MailServer.SendAsync(MailServer.Mail(client.Email, platform.SupportAddress, subject, "32 degrees."));
        var (ticketId, reference) = await platform.TicketFromMailAsync(tenant, subject);
        (await MailPlatform.As(platform.Tickets, technician).PostAsJsonAsync($"/api/tickets/{ticketId}/assign", new { assigneeId = technician.Id })).EnsureSuccessStatusCode();
        await Eventually.HoldsAsync(async () => await platform.Mail.Database.ScalarAsync<long>(
            "SELECT count(*) FROM mail_tickets WHERE ticket_id = $1 AND assignee_id = $2", ticketId, technician.Id) == 1, TimeSpan.FromSeconds(30), "Mail knows the assignee");

        var due = DateTimeOffset.UtcNow.AddMinutes(30);
        await platform.Mail.Bus.Publish(new SlaWarning
        {
            EventId = EventIds.New(), TenantId = tenant, OccurredAt = DateTimeOffset.UtcNow, TicketId = ticketId, Clock = "FirstResponse", TicketReference = reference,
            Priority = "P2", PolicyId = Guid.CreateVersion7(), TargetMinutes = 120, ReachedAt = DateTimeOffset.UtcNow, DueAt = due,
        });

        var warning = (await platform.MailServer.WaitForMailAsync(technician.Email, m => m.Subject!.Contains("SLA warning"), TimeSpan.FromSeconds(30))).Single();
        warning.Subject!.ShouldContain($"[{reference}]");
        warning.TextBody!.ShouldContain("first response");
        warning.TextBody!.ShouldContain($"{MailPlatform.PortalUrl}/desk/tickets/{ticketId}");
        (await platform.MailServer.MailOfAsync(client.Email)).ShouldNotContain(m => m.Subject!.Contains("SLA"));
        output.WriteLine($"Acceptance 5a: SlaWarning for {reference} -> '{warning.Subject}' in the assignee's mailbox ({technician.Email}); the client got none");
    }

    [Fact]
    public async Task Acceptance5_TheInvitationMail_CarriesALinkWhoseTokenSetsThePassword()
    {
        var (tenant, _) = await platform.TenantAsync();
        var email = $"i{Guid.NewGuid():N}"[..13] + "@client.tests";
        (await platform.Admin.PostAsJsonAsync($"/api/tenants/{tenant}/users", new { email, displayName = "Invited Person", role = "ClientUser" })).EnsureSuccessStatusCode();

        var invitation = (await platform.MailServer.WaitForMailAsync(email, _ => true, TimeSpan.FromSeconds(30))).Single();
        var link = LinkIn(invitation, "/account/accept?token=");
        invitation.HtmlBody!.ShouldContain(WebUtility.HtmlEncode(link));
        var token = Uri.UnescapeDataString(link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..]);
        var password = "a brand new password";
        (await platform.Tenants.CreateClient().PostAsJsonAsync("/api/auth/invitations/accept", new { token, password })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await platform.SignInAsync(email, password);
        output.WriteLine($"Acceptance 5b: invitation mail '{invitation.Subject}' (in French: the tenant is in FR) links {link[..link.IndexOf('?')]}?token=…; the token set the password and the user signed in");
    }

    [Fact]
    public async Task Acceptance5_TheResetMail_CarriesALinkWhoseTokenResetsThePassword_AndTheUserSignsInWithTheNewOne()
    {
        var (tenant, _) = await platform.TenantAsync();
        var client = await platform.ClientAsync(tenant);
        (await platform.Tenants.CreateClient().PostAsJsonAsync("/api/auth/password/forgot", new { email = client.Email })).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var reset = (await platform.MailServer.WaitForMailAsync(client.Email, m => m.TextBody?.Contains("/account/reset?token=") == true, TimeSpan.FromSeconds(30))).Single();
        var link = LinkIn(reset, "/account/reset?token=");
        link.ShouldStartWith(MailPlatform.PortalUrl + "/account/reset?token=");
        var token = Uri.UnescapeDataString(link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..]);
        const string newPassword = "the reset worked fine";
        (await platform.Tenants.CreateClient().PostAsJsonAsync("/api/auth/password/reset", new { token, password = newPassword })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var login = await platform.Tenants.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = client.Email, password = client.Password });
        login.IsSuccessStatusCode.ShouldBeFalse("the old password no longer works");
        await platform.SignInAsync(client.Email, newPassword);
        output.WriteLine($"Acceptance 5c: reset mail '{reset.Subject}' links {MailPlatform.PortalUrl}/account/reset?token=…; the token reset the password " +
            "through the Tenants API; the old password is refused and the new one signs in. (The browser test of the link comes with the web app, branch web-portal.)");
    }

    private static string LinkIn(MimeMessage mail, string path)
    {
        var match = Regex.Match(mail.TextBody ?? "", Regex.Escape(MailPlatform.PortalUrl + path) + @"\S+");
        match.Success.ShouldBeTrue($"the mail carries a link to {path}: {mail.TextBody}");
        return match.Value;
    }
}
