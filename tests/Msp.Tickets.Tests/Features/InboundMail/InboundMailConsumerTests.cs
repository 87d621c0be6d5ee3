using System.Net.Http.Json;
using System.Text.Json;
using Msp.Contracts;
using Msp.Contracts.Mail;
using Msp.Testing;

namespace Msp.Tickets.Tests.Features.InboundMail;

/// <summary>What the mail service accepted becomes a ticket or a reply here, once, in the event's tenant only, with the
/// mail's files stored as the ticket's own.</summary>
[Collection(nameof(TicketsApiCollection))]
public sealed class InboundMailConsumerTests(TicketsFactory factory)
{
    [Fact]
    public async Task ANewTicketByMail_OpensAnEmailTicketForTheSender_WithItsFiles_AndANoteForTheOneLeftOut_Once()
    {
        var (tenantId, slug) = await factory.TenantAsync();
        var sender = await factory.ClientUserAsync(tenantId);
        var file = new byte[] { 1, 2, 3, 4, 5 };
        var accepted = Accepted(tenantId, sender.Id, "NewTicket", null, "Printer broken", "It jams.",
            [new MailAttachment("photo.jpg", "image/jpeg", file)], [new OmittedAttachment("video.mp4", 50_000_000, 10_485_760)]);

        await factory.DeliverAsync(accepted);
        await factory.Bus.Publish(accepted); // redelivered: still one ticket
        await Task.Delay(500);

        var client = factory.ClientFor(sender);
        var list = await client.GetFromJsonAsync<JsonElement>("/api/tickets");
        var ticket = list.GetProperty("items").EnumerateArray().Single();
        ticket.GetProperty("source").GetString().ShouldBe("Email");
        ticket.GetProperty("reference").GetString().ShouldStartWith(slug.ToUpperInvariant() + "-");
        var id = ticket.GetProperty("id").GetGuid();
        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}");
        detail.GetProperty("requesterId").GetGuid().ShouldBe(sender.Id);
        detail.GetProperty("description").GetString()!.ShouldContain("It jams.");
        detail.GetProperty("description").GetString()!.ShouldContain("'video.mp4'");
        var files = await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}/attachments");
        files.GetArrayLength().ShouldBe(1);
        (await client.GetByteArrayAsync($"/api/tickets/{id}/attachments/{files[0].GetProperty("id").GetGuid()}")).ShouldBe(file);
        (await factory.EventsAsync("TicketCreated", id)).ShouldBe(1);
    }

    [Fact]
    public async Task AReplyByMail_IsTheAuthorsPublicComment_AndAnnouncedAsAClientReply()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var sender = await factory.ClientUserAsync(tenantId);
        var client = factory.ClientFor(sender);
        var ticketId = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();

        await factory.DeliverAsync(Accepted(tenantId, sender.Id, "Reply", ticketId, "Re: printer", "Still jammed.", [], []));

        var comments = await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}/comments");
        var comment = comments.GetProperty("items").EnumerateArray().Single();
        comment.GetProperty("body").GetString().ShouldBe("Still jammed.");
        comment.GetProperty("authorId").GetGuid().ShouldBe(sender.Id);
        comment.GetProperty("visibility").GetString().ShouldBe("Public");
        (await factory.EventsAsync("TicketRepliedByClient", ticketId)).ShouldBe(1);
    }

    [Fact]
    public async Task AReplyNamingAnotherTenantsTicket_NeverTouchesIt()
    {
        var (a, _) = await factory.TenantAsync();
        var (b, _) = await factory.TenantAsync();
        var senderA = await factory.ClientUserAsync(a);
        var clientB = factory.ClientFor(await factory.ClientUserAsync(b));
        var ticketB = (await TicketsFactory.OpenAsync(clientB)).GetProperty("id").GetGuid();

        await factory.DeliverAsync(Accepted(a, senderA.Id, "Reply", ticketB, "Re: yours", "Let me in.", [], []));

        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM ticket_comments WHERE ticket_id = $1", ticketB)).ShouldBe(0);
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE tenant_id = $1 AND subject = 'Re: yours'", a)).ShouldBe(1);
    }

    private static InboundMailAccepted Accepted(
        Guid tenantId, Guid authorId, string kind, Guid? ticketId, string subject, string body, List<MailAttachment> files, List<OmittedAttachment> omitted) => new()
    {
        EventId = EventIds.New(), TenantId = tenantId, OccurredAt = DateTimeOffset.UtcNow, InboundMessageId = Guid.CreateVersion7(),
        MessageId = $"{Guid.NewGuid():N}@client.tests", Kind = kind, TicketId = ticketId, AuthorId = authorId, AuthorRole = "ClientUser",
        SenderEmail = "someone@client.tests", Subject = subject, Body = body, Attachments = files, OmittedAttachments = omitted, ReceivedAt = DateTimeOffset.UtcNow,
    };
}
