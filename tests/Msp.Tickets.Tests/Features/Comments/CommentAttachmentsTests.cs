using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.ServiceDefaults.Tenancy;
using Msp.Testing;

namespace Msp.Tickets.Tests.Features.Comments;

/// <summary>Files that belong to a reply: uploaded with the reply's id, shown with the reply.</summary>
[Collection(nameof(TicketsApiCollection))]
public sealed class CommentAttachmentsTests(TicketsFactory factory)
{
    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, Guid ticketId, string name, Guid? commentId, string? visibility = null)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent("0123456789"u8.ToArray()), "file", name } };
        if (commentId is { } comment)
        {
            form.Add(new StringContent(comment.ToString()), "commentId");
        }

        if (visibility is not null)
        {
            form.Add(new StringContent(visibility), "visibility");
        }

        return await client.PostAsync($"/api/tickets/{ticketId}/attachments", form);
    }

    private static async Task<Guid> ReplyAsync(HttpClient client, Guid ticketId, string body, string visibility = "Public") =>
        (await (await client.PostAsJsonAsync($"/api/tickets/{ticketId}/comments", new { body, visibility })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    [Fact]
    public async Task AClientsReply_CarriesItsFiles_InTheConversationAndTheAttachmentList()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var ticket = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();
        var reply = await ReplyAsync(client, ticket, "Here is the log and a photo.");

        var log = await (await UploadAsync(client, ticket, "log.txt", reply)).JsonAsync(HttpStatusCode.Created);
        await (await UploadAsync(client, ticket, "photo.jpg", reply)).JsonAsync(HttpStatusCode.Created);
        await (await UploadAsync(client, ticket, "loose.txt", null)).JsonAsync(HttpStatusCode.Created);

        log.GetProperty("commentId").GetGuid().ShouldBe(reply);
        var comment = (await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticket}/comments")).GetProperty("items")[0];
        var files = comment.GetProperty("attachments").EnumerateArray().ToList();
        files.Select(f => f.GetProperty("fileName").GetString()).ShouldBe(["log.txt", "photo.jpg"]);
        files[0].GetProperty("id").GetGuid().ShouldBe(log.GetProperty("id").GetGuid());
        files[0].GetProperty("size").GetInt64().ShouldBe(10);
        files[0].GetProperty("contentType").GetString().ShouldNotBeNullOrEmpty();
        var list = await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticket}/attachments");
        list.EnumerateArray().Where(a => a.GetProperty("commentId").ValueKind == JsonValueKind.String).Select(a => a.GetProperty("size").GetInt64()).ShouldBe([10L, 10L]);
    }

    [Fact]
    public async Task AFileJoinsOnlyTheUploadersOwnCommentOfThatTicket()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenantId));
        var ticket = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();
        var otherTicket = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();
        var staffReply = await ReplyAsync(technician, ticket, "Please send the log.");
        var ownOnOtherTicket = await ReplyAsync(client, otherTicket, "Unrelated.");

        await (await UploadAsync(client, ticket, "log.txt", staffReply)).ShouldNameAsync(HttpStatusCode.BadRequest, "commentId");
        await (await UploadAsync(client, ticket, "log.txt", ownOnOtherTicket)).ShouldNameAsync(HttpStatusCode.BadRequest, "commentId");
        await (await UploadAsync(client, ticket, "log.txt", Guid.CreateVersion7())).ShouldNameAsync(HttpStatusCode.BadRequest, "commentId");
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM ticket_attachments WHERE ticket_id = $1", ticket)).ShouldBe(0);
    }

    [Fact]
    public async Task AFileOnAnInternalNote_IsInternal_AndClientsNeverSeeIt()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId, MspRoles.ClientAdmin));
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenantId));
        var ticket = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();
        var note = await ReplyAsync(technician, ticket, "Vendor quote attached.", "Internal");

        await (await UploadAsync(technician, ticket, "quote.pdf", note, "Public")).ShouldNameAsync(HttpStatusCode.BadRequest, "visibility");
        var file = await (await UploadAsync(technician, ticket, "quote.pdf", note)).JsonAsync(HttpStatusCode.Created);

        file.GetProperty("visibility").GetString().ShouldBe("Internal");
        var staffView = (await technician.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticket}/comments")).GetProperty("items")[0];
        staffView.GetProperty("attachments").GetArrayLength().ShouldBe(1);
        (await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticket}/comments")).GetProperty("items").GetArrayLength().ShouldBe(0);
        (await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticket}/attachments")).GetArrayLength().ShouldBe(0);
    }
}
