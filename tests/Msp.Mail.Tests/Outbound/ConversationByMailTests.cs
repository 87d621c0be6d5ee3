using System.Net.Http.Json;
using System.Text.Json;
using MimeKit;
using Msp.Testing;
using Xunit.Abstractions;

namespace Msp.Mail.Tests.Outbound;

/// <summary>Acceptance 2: a technician's public reply reaches the client by mail; the client's answer, linked only by
/// In-Reply-To, lands on the same ticket without the quoted text; an internal note never reaches the client.</summary>
[Collection(nameof(MailPlatformCollection))]
public sealed class ConversationByMailTests(MailPlatform platform, ITestOutputHelper output)
{
    [Fact]
    public async Task Acceptance2_AStaffReplyReachesTheClient_TheirAnswerLandsOnTheTicket_AndNoMailCarriesTheInternalNote()
    {
        var (tenant, _) = await platform.TenantAsync();
        var client = await platform.ClientAsync(tenant);
        var technician = await platform.TechnicianAsync(tenant);
        var subject = "Outlook crashes " + Guid.NewGuid().ToString("N")[..6];
        await platform.MailServer.SendAsync(MailServer.Mail(client.Email, platform.SupportAddress, subject, "When I open the calendar."));
        var (ticketId, reference) = await platform.TicketFromMailAsync(tenant, subject);

        var desk = MailPlatform.As(platform.Tickets, technician);
        (await desk.PostAsJsonAsync($"/api/tickets/{ticketId}/assign", new { assigneeId = technician.Id })).EnsureSuccessStatusCode();
        var secret = "INTERNAL-" + Guid.NewGuid().ToString("N");
        (await desk.PostAsJsonAsync($"/api/tickets/{ticketId}/comments", new { body = $"Client is on the old build; {secret}", visibility = "Internal" })).EnsureSuccessStatusCode();
        (await desk.PostAsJsonAsync($"/api/tickets/{ticketId}/comments", new { body = "Please install update 2.4 and restart Outlook.", visibility = "Public" })).EnsureSuccessStatusCode();

        var reply = (await platform.MailServer.WaitForMailAsync(client.Email, m => m.TextBody?.Contains("Please install update 2.4") == true, TimeSpan.FromSeconds(30))).Single();
        reply.Subject!.ShouldContain($"[{reference}]");
        reply.ReplyTo.Mailboxes.Single().Address.ShouldBe(platform.SupportAddress);
        reply.HtmlBody!.ShouldContain("Please install update 2.4");

        var answer = new MimeMessage { Subject = "Thanks, that did it", MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("client.tests") };
        answer.From.Add(MailboxAddress.Parse(client.Email));
        answer.To.Add(MailboxAddress.Parse(platform.SupportAddress));
        answer.InReplyTo = reply.MessageId; // only In-Reply-To links it: the subject has no reference
        answer.Body = new TextPart("plain")
        {
            Text = "It works now, thank you!\n\nOn Fri, 27 Nov 2026 at 14:02, Msp Support <" + platform.SupportAddress + "> wrote:\n> Please install update 2.4 and restart Outlook.\n> See the ticket.",
        };
        await platform.MailServer.SendAsync(answer);

        var portal = MailPlatform.As(platform.Tickets, client);
        JsonElement comment = default;
        await Eventually.HoldsAsync(async () =>
        {
            var comments = await portal.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}/comments");
            comment = comments.GetProperty("items").EnumerateArray().FirstOrDefault(c => c.GetProperty("authorId").GetGuid() == client.Id);
            return comment.ValueKind == JsonValueKind.Object;
        }, TimeSpan.FromSeconds(30), "the client's answer lands on the ticket");
        comment.GetProperty("body").GetString().ShouldBe("It works now, thank you!");
        comment.GetProperty("visibility").GetString().ShouldBe("Public");
        (await platform.TicketsWithSubjectAsync(tenant, answer.Subject)).ShouldBe(0);

        // The assignee hears of the client's answer by mail.
        var toTechnician = await platform.MailServer.WaitForMailAsync(technician.Email, m => m.TextBody?.Contains("It works now, thank you!") == true, TimeSpan.FromSeconds(30));
        toTechnician.Single().TextBody!.ShouldContain($"{MailPlatform.PortalUrl}/desk/tickets/{ticketId}");

        await Task.Delay(1000);
        var everything = await platform.MailServer.MailOfAsync(client.Email);
        everything.ShouldNotBeEmpty();
        foreach (var mail in everything)
        {
            (mail.TextBody ?? "").ShouldNotContain(secret);
            (mail.HtmlBody ?? "").ShouldNotContain(secret);
            mail.Subject!.ShouldNotContain(secret);
        }

        output.WriteLine($"Acceptance 2: {reference}: the technician's reply reached {client.Email} ('{reply.Subject}'); the answer with subject '{answer.Subject}' " +
            $"(In-Reply-To only) became the client's public comment '{comment.GetProperty("body").GetString()}' (quote removed); the assignee was told; " +
            $"{everything.Count} mails to the client, none with the internal note");
    }
}
