using System.Net;
using System.Net.Http.Json;
using System.Text;
using Msp.Testing;

namespace Msp.Tickets.Tests.Features;

/// <summary>The cases of issue 24 found in the Tickets service, each answered 4xx with a problem document naming the
/// field, and nothing written.</summary>
[Collection(nameof(TicketsApiCollection))]
public sealed class HostileInputTests(TicketsFactory factory)
{
    private const string Nul = "a\u0000b";

    private Task<string> FootprintAsync(Guid tenantId) => factory.Database.ScalarAsync<string>("""
        SELECT (SELECT count(*) FROM tickets WHERE tenant_id = $1) || '/' || (SELECT coalesce(max(xmin::text::bigint), 0) FROM tickets WHERE tenant_id = $1)
            || '/' || (SELECT count(*) FROM ticket_history WHERE tenant_id = $1) || '/' || (SELECT count(*) FROM ticket_comments WHERE tenant_id = $1)
            || '/' || (SELECT count(*) FROM time_entries WHERE tenant_id = $1) || '/' || (SELECT count(*) FROM ticket_attachments WHERE tenant_id = $1)
            || '/' || (SELECT count(*) FROM ticket_categories) || '/' || (SELECT count(*) FROM ticket_queues)
        """, tenantId);

    private async Task<(Guid Tenant, HttpClient Client, HttpClient Technician, Guid Ticket)> TicketAsync(string? category = null)
    {
        var (tenant, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenant));
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenant));
        var ticket = (await TicketsFactory.OpenAsync(client, TicketsFactory.NewTicket(category: category))).GetProperty("id").GetGuid();
        return (tenant, client, technician, ticket);
    }

    [Theory]
    [InlineData("q")]
    [InlineData("category")]
    public async Task ANulInAListFilter_Answers400NamingIt(string filter)
    {
        var (tenant, client, _, _) = await TicketAsync();

        await (await client.GetAsync($"/api/tickets?{filter}=a%00b")).ShouldNameFieldAsync(HttpStatusCode.BadRequest, filter);
        await (await client.GetAsync($"/api/tickets/counts?{filter}=%00")).ShouldNameFieldAsync(HttpStatusCode.BadRequest, filter);
        (await client.GetAsync($"/api/tickets?{filter}=ab")).StatusCode.ShouldBe(HttpStatusCode.OK, $"a {filter} without NUL is read");
        (await FootprintAsync(tenant)).ShouldNotBeEmpty();
    }

    [Theory]
    [InlineData("subject")]
    [InlineData("description")]
    public async Task ANulInANewTicket_Answers400NamingTheField_AndOpensNothing(string field)
    {
        var (tenant, client, _, ticket) = await TicketAsync();
        var before = await FootprintAsync(tenant);
        var body = new Dictionary<string, object?> { ["subject"] = "Printer", ["description"] = "Jammed", ["impact"] = "Low", ["urgency"] = "Low", [field] = Nul };

        await (await client.PostAsJsonAsync("/api/tickets", body)).ShouldNameFieldAsync(HttpStatusCode.BadRequest, field);
        await (await client.PatchAsJsonAsync($"/api/tickets/{ticket}", new Dictionary<string, object?> { [field] = Nul }))
            .ShouldNameFieldAsync(HttpStatusCode.BadRequest, field);
        (await FootprintAsync(tenant)).ShouldBe(before);
    }

    [Fact]
    public async Task ANulInAReply_ATimeEntryNote_OrAFileName_Answers400NamingTheField_AndWritesNothing()
    {
        var (tenant, client, technician, ticket) = await TicketAsync();
        var before = await FootprintAsync(tenant);

        await (await client.PostAsJsonAsync($"/api/tickets/{ticket}/comments", new { body = Nul })).ShouldNameFieldAsync(HttpStatusCode.BadRequest, "body");
        await (await technician.PostAsJsonAsync($"/api/tickets/{ticket}/time-entries", new { minutes = 5, workType = "Remote", note = Nul }))
            .ShouldNameFieldAsync(HttpStatusCode.BadRequest, "note");
        var part = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"log\0.txt\"\r\nContent-Type: text/plain\r\n\r\nlog\r\n--b--\r\n";
        await (await client.PostAsync($"/api/tickets/{ticket}/attachments", Multipart(part, "b"))).ShouldNameFieldAsync(HttpStatusCode.BadRequest, "file");

        (await FootprintAsync(tenant)).ShouldBe(before);
    }

    [Fact]
    public async Task ANulInACategoryOrQueueName_Answers400NamingTheName()
    {
        var op = factory.ClientFor(await factory.UserAsync(Caller.Staff("Operator")));
        var (tenant, _, _, _) = await TicketAsync();
        var before = await FootprintAsync(tenant);

        await (await op.PostAsJsonAsync("/api/tickets/categories", new { key = "nul-" + Guid.NewGuid().ToString("N")[..6], name = Nul }))
            .ShouldNameFieldAsync(HttpStatusCode.BadRequest, "name");
        await (await op.PostAsJsonAsync("/api/tickets/queues", new { name = Nul })).ShouldNameFieldAsync(HttpStatusCode.BadRequest, "name");
        await (await op.PatchAsJsonAsync("/api/tickets/queues/01930000-0000-7000-8000-000000000002", new { name = Nul })).ShouldNameFieldAsync(HttpStatusCode.BadRequest, "name");

        (await FootprintAsync(tenant)).ShouldBe(before);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task ABlankCategory_OnATicketThatHasOne_Answers400NamingCategory_AsAnUnknownOneDoes(string blank)
    {
        var (tenant, client, _, ticket) = await TicketAsync(category: "hardware");
        var before = await FootprintAsync(tenant);

        await (await client.PatchAsJsonAsync($"/api/tickets/{ticket}", new { category = blank })).ShouldNameFieldAsync(HttpStatusCode.BadRequest, "category");
        await (await client.PatchAsJsonAsync($"/api/tickets/{ticket}", new { category = "plumbing" })).ShouldNameFieldAsync(HttpStatusCode.BadRequest, "category");

        (await FootprintAsync(tenant)).ShouldBe(before);
        (await factory.Database.ScalarAsync<string>("SELECT category FROM tickets WHERE id = $1", ticket)).ShouldBe("hardware");
    }

    [Fact]
    public async Task AnAttachment_WhoseBoundaryDoesNotMatch_OrWhoseBodyIsCutShort_Answers400NamingFile()
    {
        var (tenant, client, _, ticket) = await TicketAsync();
        var before = await FootprintAsync(tenant);
        var part = "--real\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--real--\r\n";

        await (await client.PostAsync($"/api/tickets/{ticket}/attachments", Multipart(part, "other")))
            .ShouldNameFieldAsync(HttpStatusCode.BadRequest, "file");
        await (await client.PostAsync($"/api/tickets/{ticket}/attachments", Multipart(part[..(part.Length / 2)], "real")))
            .ShouldNameFieldAsync(HttpStatusCode.BadRequest, "file");
        await (await client.PostAsync($"/api/tickets/{ticket}/attachments", Multipart(part, ";;;", raw: true)))
            .ShouldNameFieldAsync(HttpStatusCode.BadRequest, "Content-Type");

        (await FootprintAsync(tenant)).ShouldBe(before);
        var folder = Path.Combine(factory.AttachmentsPath, tenant.ToString("N"), ticket.ToString("N"));
        (Directory.Exists(folder) ? Directory.GetFiles(folder) : []).ShouldBeEmpty();
    }

    private static ByteArrayContent Multipart(string body, string boundary, bool raw = false)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", raw ? boundary : $"multipart/form-data; boundary={boundary}");
        return content;
    }

    [Fact]
    public async Task ARetiredCategoryOrQueue_StaysOnItsTickets_ButCannotBeChosen()
    {
        var op = factory.ClientFor(await factory.UserAsync(Caller.Staff("Operator")));
        var key = "old-" + Guid.NewGuid().ToString("N")[..6];
        (await op.PostAsJsonAsync("/api/tickets/categories", new { key, name = "Old things" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var queue = (await TicketsFactory.ReadAsync(await op.PostAsJsonAsync("/api/tickets/queues", new { name = "Old queue " + key }))).GetProperty("id").GetGuid();
        var (tenant, client, technician, ticket) = await TicketAsync(category: key);
        (await technician.PostAsJsonAsync($"/api/tickets/{ticket}/assign", new { queueId = queue })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var renamed = await op.PatchAsJsonAsync($"/api/tickets/categories/{key}", new { name = "Legacy things", retired = true });
        renamed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await op.PatchAsJsonAsync($"/api/tickets/queues/{queue}", new { retired = true })).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await client.GetFromJsonAsync<List<CategoryShape>>("/api/tickets/categories"))!.ShouldNotContain(c => c.Key == key);
        (await client.GetFromJsonAsync<List<CategoryShape>>("/api/tickets/categories?includeRetired=true"))!
            .ShouldContain(c => c.Key == key && c.Name == "Legacy things" && c.Retired);
        await (await client.PostAsJsonAsync("/api/tickets", TicketsFactory.NewTicket(category: key))).ShouldNameFieldAsync(HttpStatusCode.BadRequest, "category");
        var other = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();
        await (await client.PatchAsJsonAsync($"/api/tickets/{other}", new { category = key })).ShouldNameFieldAsync(HttpStatusCode.BadRequest, "category");
        await (await technician.PostAsJsonAsync($"/api/tickets/{other}/assign", new { queueId = queue })).ShouldNameFieldAsync(HttpStatusCode.BadRequest, "queueId");
        (await client.PatchAsJsonAsync($"/api/tickets/{ticket}", new { subject = "Still about old things", category = key })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await factory.Database.ScalarAsync<string>("SELECT category || '/' || queue_id FROM tickets WHERE id = $1", ticket)).ShouldBe($"{key}/{queue}");
        (await client.PatchAsJsonAsync($"/api/tickets/categories/{key}", new { retired = false })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        _ = tenant;
    }

    [Fact]
    public async Task SignedInAnswers_AreNotStored_AndAReadWithAnETag_IsKeptPrivately()
    {
        var (_, client, _, ticket) = await TicketAsync();
        using var file = new MultipartFormDataContent { { new ByteArrayContent("log"u8.ToArray()), "file", "log.txt" } };
        var attachment = (await TicketsFactory.ReadAsync(await client.PostAsync($"/api/tickets/{ticket}/attachments", file))).GetProperty("id").GetGuid();

        (await client.GetAsync($"/api/tickets/{ticket}/attachments/{attachment}")).Headers.CacheControl!.NoStore.ShouldBeTrue();
        (await client.GetAsync("/api/tickets")).Headers.CacheControl!.NoStore.ShouldBeTrue();
        (await client.GetAsync($"/api/tickets/{Guid.CreateVersion7()}")).Headers.CacheControl!.NoStore.ShouldBeTrue();
        var read = await client.GetAsync($"/api/tickets/{ticket}");
        read.Headers.CacheControl!.Private.ShouldBeTrue();
        read.Headers.CacheControl.NoCache.ShouldBeTrue();
        read.Headers.ETag.ShouldNotBeNull();
    }

    private sealed record CategoryShape(string Key, string Name, bool Retired);
}
