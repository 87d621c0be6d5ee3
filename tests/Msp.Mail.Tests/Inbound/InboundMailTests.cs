using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using MimeKit;
using Msp.Testing;
using Xunit.Abstractions;

namespace Msp.Mail.Tests.Inbound;

/// <summary>Acceptance 1, 3 and 4: mail sent by SMTP to the support address, read from the real IMAP mailbox, becomes
/// tickets in the sender's tenant only, once, and never from automatic mail.</summary>
[Collection(nameof(MailPlatformCollection))]
public sealed class InboundMailTests(MailPlatform platform, ITestOutputHelper output)
{
    [Fact]
    public async Task Acceptance1_AClientsMailWithAnAttachment_OpensAnEmailTicketWithIt_AndTheAcknowledgementArrivesWithinTenSeconds()
    {
        var (tenant, _) = await platform.TenantAsync();
        var client = await platform.ClientAsync(tenant);
        var subject = "Printer jammed " + Guid.NewGuid().ToString("N")[..6];
        var screenshot = Enumerable.Range(0, 3000).Select(i => (byte)(i % 251)).ToArray();
        var watch = Stopwatch.StartNew();
        await platform.MailServer.SendAsync(MailServer.Mail(client.Email, platform.SupportAddress, subject, "It shows error E-42.", attachments: ("error.png", screenshot)));

        var (ticketId, reference) = await platform.TicketFromMailAsync(tenant, subject);
        var opened = watch.Elapsed;
        var tickets = MailPlatform.As(platform.Tickets, client);
        var ticket = await tickets.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}");
        ticket.GetProperty("source").GetString().ShouldBe("Email");
        ticket.GetProperty("requesterId").GetGuid().ShouldBe(client.Id);
        ticket.GetProperty("description").GetString()!.ShouldContain("It shows error E-42.");
        var files = await tickets.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}/attachments");
        files.GetArrayLength().ShouldBe(1);
        files[0].GetProperty("fileName").GetString().ShouldBe("error.png");
        (await tickets.GetByteArrayAsync($"/api/tickets/{ticketId}/attachments/{files[0].GetProperty("id").GetGuid()}")).ShouldBe(screenshot);

        var ack = (await platform.MailServer.WaitForMailAsync(client.Email, m => m.Subject!.Contains($"[{reference}]"), TimeSpan.FromSeconds(10) - watch.Elapsed)).Single();
        var acknowledged = watch.Elapsed;
        acknowledged.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        ack.TextBody!.ShouldContain(reference);
        ack.HtmlBody!.ShouldContain(reference);
        ack.TextBody!.ShouldContain($"{MailPlatform.PortalUrl}/portal/tickets/{ticketId}");
        output.WriteLine($"Acceptance 1: mail sent by SMTP; ticket {reference} (source Email, attachment error.png {screenshot.Length} bytes) opened after {opened.TotalSeconds:0.0} s; " +
            $"acknowledgement '{ack.Subject}' read back over IMAP after {acknowledged.TotalSeconds:0.0} s (limit 10 s)");
    }

    [Fact]
    public async Task AMailCarryingNulCharacters_StillOpensItsTicket_WithoutThem_AndTheMailboxReadsOn()
    {
        var (tenant, _) = await platform.TenantAsync();
        var client = await platform.ClientAsync(tenant);
        var tag = Guid.NewGuid().ToString("N")[..6];
        await platform.MailServer.SendAsync(MailServer.Mail(client.Email, platform.SupportAddress, $"Broken\0 keyboard {tag}", "Keys\0 stick.",
            attachments: ("photo\0.png", [1, 2, 3])));
        await platform.MailServer.SendAsync(MailServer.Mail(client.Email, platform.SupportAddress, $"After it {tag}", "Next one."));

        var (ticketId, _) = await platform.TicketFromMailAsync(tenant, $"Broken keyboard {tag}");
        await platform.TicketFromMailAsync(tenant, $"After it {tag}");
        var tickets = MailPlatform.As(platform.Tickets, client);
        (await tickets.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}")).GetProperty("description").GetString()!.ShouldContain("Keys stick.");
        (await tickets.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}/attachments"))[0].GetProperty("fileName").GetString().ShouldBe("photo.png");
    }

    [Fact]
    public async Task Acceptance3_AnOutOfOfficeReply_CreatesAndSendsNothing()
    {
        var (tenant, _) = await platform.TenantAsync();
        var client = await platform.ClientAsync(tenant);
        var subject = "VPN down " + Guid.NewGuid().ToString("N")[..6];
        await platform.MailServer.SendAsync(MailServer.Mail(client.Email, platform.SupportAddress, subject, "Since Monday."));
        var (_, reference) = await platform.TicketFromMailAsync(tenant, subject);
        var ack = (await platform.MailServer.WaitForMailAsync(client.Email, m => m.Subject!.Contains($"[{reference}]"), TimeSpan.FromSeconds(30))).Single();
        var deliveriesBefore = await platform.Mail.Database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE tenant_id = $1", tenant);

        var outOfOffice = MailServer.Mail(client.Email, platform.SupportAddress, "Automatic reply: " + ack.Subject, "I am out of the office until Monday.");
        outOfOffice.Headers.Add(HeaderId.AutoSubmitted, "auto-replied");
        outOfOffice.InReplyTo = ack.MessageId;
        await platform.MailServer.SendAsync(outOfOffice);

        await Eventually.HoldsAsync(async () => await OutcomeAsync(outOfOffice.MessageId!) == "Ignored", TimeSpan.FromSeconds(30), "the out-of-office reply is read and ignored");
        var reason = await platform.Mail.Database.ScalarAsync<string>("SELECT reason FROM inbound_messages WHERE message_id = $1", outOfOffice.MessageId!);
        reason.ShouldContain("Auto-Submitted");
        await Task.Delay(1500); // anything it set off would have happened by now
        (await platform.Tickets.Database.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE tenant_id = $1", tenant)).ShouldBe(1);
        (await platform.Tickets.Database.ScalarAsync<long>("SELECT count(*) FROM ticket_comments WHERE tenant_id = $1", tenant)).ShouldBe(0);
        (await platform.Mail.Database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE tenant_id = $1", tenant)).ShouldBe(deliveriesBefore);
        (await platform.MailServer.MailOfAsync(client.Email)).Count(m => m.Subject!.Contains(reference)).ShouldBe(1);
        output.WriteLine($"Acceptance 3a: out-of-office reply to {reference} ignored ({reason}); tickets 1, comments 0, deliveries unchanged at {deliveriesBefore}");
    }

    [Fact]
    public async Task Acceptance3_OurOwnNotificationMailedBack_CreatesNothing()
    {
        var (tenant, _) = await platform.TenantAsync();
        var client = await platform.ClientAsync(tenant);
        var subject = "Screen flickers " + Guid.NewGuid().ToString("N")[..6];
        await platform.MailServer.SendAsync(MailServer.Mail(client.Email, platform.SupportAddress, subject, "Every few seconds."));
        var (_, reference) = await platform.TicketFromMailAsync(tenant, subject);
        var ack = (await platform.MailServer.WaitForMailAsync(client.Email, m => m.Subject!.Contains($"[{reference}]"), TimeSpan.FromSeconds(30))).Single();

        // The notification itself arrives at the support address (a forwarding rule, a misconfigured alias).
        ack.To.Clear();
        ack.To.Add(MailboxAddress.Parse(platform.SupportAddress));
        await platform.MailServer.SendAsync(ack);

        await Eventually.HoldsAsync(async () => await OutcomeAsync(ack.MessageId!) == "Ignored", TimeSpan.FromSeconds(30), "our own notification is read and ignored");
        await Task.Delay(1500);
        (await platform.Tickets.Database.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE tenant_id = $1", tenant)).ShouldBe(1);
        (await platform.Tickets.Database.ScalarAsync<long>("SELECT count(*) FROM ticket_comments WHERE tenant_id = $1", tenant)).ShouldBe(0);
        output.WriteLine($"Acceptance 3b: our acknowledgement of {reference} mailed back to the support address: ignored " +
            $"({await platform.Mail.Database.ScalarAsync<string>("SELECT reason FROM inbound_messages WHERE message_id = $1", ack.MessageId!)}); still 1 ticket, 0 comments");
    }

    [Fact]
    public async Task Acceptance3_OneMessageFetchedTwice_MakesOneTicket()
    {
        var (tenant, _) = await platform.TenantAsync();
        var client = await platform.ClientAsync(tenant);
        var subject = "Mouse broken " + Guid.NewGuid().ToString("N")[..6];
        var mail = MailServer.Mail(client.Email, platform.SupportAddress, subject, "The left button.");
        await platform.MailServer.SendAsync(mail);
        await platform.MailServer.SendAsync(mail); // the same message (same Message-ID) lands in the mailbox twice
        var marker = "Marker " + Guid.NewGuid().ToString("N")[..6];
        await platform.MailServer.SendAsync(MailServer.Mail(client.Email, platform.SupportAddress, marker, "Read after both copies."));

        await platform.TicketFromMailAsync(tenant, marker); // the mailbox is read in order: both copies were read before it
        (await platform.TicketsWithSubjectAsync(tenant, subject)).ShouldBe(1);
        (await platform.Mail.Database.ScalarAsync<long>("SELECT count(*) FROM inbound_messages WHERE message_id = $1", mail.MessageId!)).ShouldBe(1);
        output.WriteLine($"Acceptance 3c: message {mail.MessageId} delivered to the mailbox twice: {await platform.TicketsWithSubjectAsync(tenant, subject)} ticket, 1 inbound record");
    }

    [Fact]
    public async Task Acceptance4_MailFromAnUnknownDomain_IsHeld_UntilAnOperatorAssignsIt_ThenItIsThatTenantsTicket()
    {
        var (tenant, _) = await platform.TenantAsync();
        var stranger = $"someone@unknown-{Guid.NewGuid():N}"[..30] + ".test";
        var subject = "Quote request " + Guid.NewGuid().ToString("N")[..6];
        var mail = MailServer.Mail(stranger, platform.SupportAddress, subject, "Could you send us a quote?");
        await platform.MailServer.SendAsync(mail);

        JsonElement held = default;
        var mailApi = platform.Mail.CreateClient();
        mailApi.DefaultRequestHeaders.Authorization = platform.Admin.DefaultRequestHeaders.Authorization;
        await Eventually.HoldsAsync(async () =>
        {
            var page = await mailApi.GetFromJsonAsync<JsonElement>("/api/mail/unmatched");
            held = page.GetProperty("items").EnumerateArray().FirstOrDefault(m => m.GetProperty("messageId").GetString() == mail.MessageId!);
            return held.ValueKind == JsonValueKind.Object;
        }, TimeSpan.FromSeconds(30), "the operator sees the mail as unmatched");
        (await platform.TicketsWithSubjectAsync(tenant, subject)).ShouldBe(0);

        var assigned = await mailApi.PostAsJsonAsync($"/api/mail/unmatched/{held.GetProperty("id").GetGuid()}/assign", new { tenantId = tenant });
        assigned.EnsureSuccessStatusCode();
        var (ticketId, reference) = await platform.TicketFromMailAsync(tenant, subject);
        (await platform.Tickets.Database.ScalarAsync<string>("SELECT source FROM tickets WHERE id = $1", ticketId)).ShouldBe("Email");
        await Eventually.HoldsAsync(async () =>
            (await platform.Admin.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenant}/users")).GetProperty("items").EnumerateArray()
                .Any(u => u.GetProperty("email").GetString() == stranger), TimeSpan.FromSeconds(30), "the sender became a user of the tenant");
        (await mailApi.GetFromJsonAsync<JsonElement>("/api/mail/unmatched")).GetProperty("items").EnumerateArray()
            .ShouldNotContain(m => m.GetProperty("messageId").GetString() == mail.MessageId!);
        output.WriteLine($"Acceptance 4a: mail from {stranger} held as unmatched; assigned by an operator, it opened {reference} (source Email) and its sender became a user of the tenant");
    }

    [Fact]
    public async Task Acceptance4_AnUnknownSenderOfATenantsDomain_BecomesItsRequester_WithoutAnInvitation()
    {
        var domain = $"d{Guid.NewGuid():N}"[..12] + ".test";
        var (tenant, _) = await platform.TenantAsync(domain);
        var sender = "new.person@" + domain;
        var subject = "New starter laptop " + Guid.NewGuid().ToString("N")[..6];
        await platform.MailServer.SendAsync(MailServer.Mail(sender, platform.SupportAddress, subject, "For Monday."));

        var (_, reference) = await platform.TicketFromMailAsync(tenant, subject);
        await Eventually.HoldsAsync(async () =>
            (await platform.Admin.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenant}/users")).GetProperty("items").EnumerateArray()
                .Any(u => u.GetProperty("email").GetString() == sender && u.GetProperty("status").GetString() == "Invited"), TimeSpan.FromSeconds(30),
            "the Tenants service made the sender a user without a password");
        var received = await platform.MailServer.WaitForMailAsync(sender, m => m.Subject!.Contains($"[{reference}]"), TimeSpan.FromSeconds(30));
        received.ShouldHaveSingleItem();
        (await platform.MailServer.MailOfAsync(sender)).Count.ShouldBe(1, "the acknowledgement only: no invitation");
        output.WriteLine($"Acceptance 4b: {sender} (the tenant's domain {domain}) opened {reference}, became a user (Invited, no password) and got only the acknowledgement");
    }

    [Fact]
    public async Task Acceptance4_MailOfTenantA_CarryingTenantBsReference_DoesNotTouchBsTicket()
    {
        var (a, _) = await platform.TenantAsync();
        var (b, _) = await platform.TenantAsync();
        var clientA = await platform.ClientAsync(a);
        var clientB = await platform.ClientAsync(b);
        var subjectB = "B's server " + Guid.NewGuid().ToString("N")[..6];
        await platform.MailServer.SendAsync(MailServer.Mail(clientB.Email, platform.SupportAddress, subjectB, "Disk full."));
        var (ticketB, referenceB) = await platform.TicketFromMailAsync(b, subjectB);
        var ackB = (await platform.MailServer.WaitForMailAsync(clientB.Email, m => m.Subject!.Contains($"[{referenceB}]"), TimeSpan.FromSeconds(30))).Single();

        // A's user names B's ticket by its reference, and by the Message-ID of B's acknowledgement.
        var byReference = MailServer.Mail(clientA.Email, platform.SupportAddress, $"Re: [{referenceB}] {subjectB}", "Let me in on this one.");
        var byMessageId = MailServer.Mail(clientA.Email, platform.SupportAddress, "Re: your mail " + Guid.NewGuid().ToString("N")[..6], "And this one.");
        byMessageId.InReplyTo = ackB.MessageId;
        byMessageId.References.Add(ackB.MessageId!);
        await platform.MailServer.SendAsync(byReference);
        await platform.MailServer.SendAsync(byMessageId);

        await platform.TicketFromMailAsync(a, byReference.Subject!);
        await platform.TicketFromMailAsync(a, byMessageId.Subject!);
        (await platform.Tickets.Database.ScalarAsync<long>("SELECT count(*) FROM ticket_comments WHERE ticket_id = $1", ticketB)).ShouldBe(0);
        (await platform.Tickets.Database.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE tenant_id = $1", b)).ShouldBe(1);
        (await platform.Tickets.Database.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE tenant_id = $1", a)).ShouldBe(2);
        output.WriteLine($"Acceptance 4c: tenant A's mails naming {referenceB} (subject) and B's acknowledgement (In-Reply-To) opened 2 tickets in A; B's ticket has 0 comments");
    }

    private async Task<string?> OutcomeAsync(string messageId)
    {
        var id = messageId.Trim('<', '>');
        return await platform.Mail.Database.ScalarAsync<long>("SELECT count(*) FROM inbound_messages WHERE message_id = $1", id) == 0
            ? null
            : await platform.Mail.Database.ScalarAsync<string>("SELECT outcome FROM inbound_messages WHERE message_id = $1", id);
    }
}
