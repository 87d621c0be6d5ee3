using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Msp.Tickets.Tests.Features;

/// <summary>Each refusal answers a problem document naming the field, and writes nothing: no ticket change, no
/// history entry, no event, no file.</summary>
[Collection(nameof(TicketsApiCollection))]
public sealed class BadInputTests(TicketsFactory factory)
{
    private Task<string> FootprintAsync(Guid tenantId) => factory.Database.ScalarAsync<string>("""
        SELECT (SELECT count(*) FROM tickets WHERE tenant_id = $1) || '/' || (SELECT coalesce(max(xmin::text::bigint), 0) FROM tickets WHERE tenant_id = $1)
            || '/' || (SELECT count(*) FROM ticket_history WHERE tenant_id = $1) || '/' || (SELECT count(*) FROM outbox WHERE tenant_id = $1)
            || '/' || (SELECT count(*) FROM ticket_attachments WHERE tenant_id = $1) || '/' || (SELECT count(*) FROM ticket_comments WHERE tenant_id = $1)
        """, tenantId);

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        return await TicketsFactory.ReadAsync(response);
    }

    [Fact]
    public async Task EmptySubject_UnknownCategory_MissingImpact_Answer400NamingTheField()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var before = await FootprintAsync(tenantId);

        var empty = await ProblemAsync(await client.PostAsJsonAsync("/api/tickets", TicketsFactory.NewTicket(subject: "  ")), HttpStatusCode.BadRequest);
        var category = await ProblemAsync(await client.PostAsJsonAsync("/api/tickets", TicketsFactory.NewTicket(category: "plumbing")), HttpStatusCode.BadRequest);
        var impact = await ProblemAsync(await client.PostAsJsonAsync("/api/tickets", new { subject = "x", description = "y", urgency = "High" }), HttpStatusCode.BadRequest);
        var level = await ProblemAsync(await client.PostAsJsonAsync("/api/tickets", new { subject = "x", description = "y", impact = "Huge", urgency = "High" }), HttpStatusCode.BadRequest);

        empty.GetProperty("errors").TryGetProperty("subject", out _).ShouldBeTrue();
        category.GetProperty("errors").GetProperty("category")[0].GetString()!.ShouldContain("plumbing");
        impact.GetProperty("errors").TryGetProperty("impact", out _).ShouldBeTrue();
        level.GetProperty("errors").TryGetProperty("impact", out _).ShouldBeTrue();
        (await FootprintAsync(tenantId)).ShouldBe(before);
    }

    [Fact]
    public async Task AnIllegalTransition_Answers409WithTheAllowedOnes()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenantId));
        var id = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();
        var fresh = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();
        (await technician.PostAsJsonAsync($"/api/tickets/{id}/status", new { status = "Cancelled" })).EnsureSuccessStatusCode();
        var before = await FootprintAsync(tenantId);

        var problem = await ProblemAsync(await technician.PostAsJsonAsync($"/api/tickets/{id}/status", new { status = "Open" }), HttpStatusCode.Conflict);
        var fromNew = await ProblemAsync(await technician.PostAsJsonAsync($"/api/tickets/{fresh}/status", new { status = "Closed" }), HttpStatusCode.Conflict);

        problem.GetProperty("errors").GetProperty("status")[0].GetString()!.ShouldContain("Cancelled");
        fromNew.GetProperty("detail").GetString()!.ShouldContain("from New it can go to Open, InProgress");
        (await FootprintAsync(tenantId)).ShouldBe(before);
        (await factory.Database.ScalarAsync<string>("SELECT status FROM tickets WHERE id = $1", id)).ShouldBe("Cancelled");
    }

    [Fact]
    public async Task AClient_CannotMoveTheirTicketLikeStaff()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var id = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();
        var before = await FootprintAsync(tenantId);

        await ProblemAsync(await client.PostAsJsonAsync($"/api/tickets/{id}/status", new { status = "Resolved" }), HttpStatusCode.Forbidden);
        await ProblemAsync(await client.PostAsJsonAsync($"/api/tickets/{id}/comments", new { body = "psst", visibility = "Internal" }), HttpStatusCode.Forbidden);

        (await FootprintAsync(tenantId)).ShouldBe(before);
    }

    [Fact]
    public async Task AStaleIfMatch_Answers412_AndChangesNothing()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenantId));
        var id = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();
        var read = await technician.GetAsync($"/api/tickets/{id}");
        var etag = read.Headers.ETag!.Tag;
        (await technician.PatchAsJsonAsync($"/api/tickets/{id}", new { subject = "Renamed once" })).EnsureSuccessStatusCode();
        var before = await FootprintAsync(tenantId);

        var stale = new HttpRequestMessage(HttpMethod.Patch, $"/api/tickets/{id}") { Content = JsonContent.Create(new { subject = "Renamed twice" }) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        var staleStatus = new HttpRequestMessage(HttpMethod.Post, $"/api/tickets/{id}/status") { Content = JsonContent.Create(new { status = "Open" }) };
        staleStatus.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));

        await ProblemAsync(await technician.SendAsync(stale), HttpStatusCode.PreconditionFailed);
        await ProblemAsync(await technician.SendAsync(staleStatus), HttpStatusCode.PreconditionFailed);
        (await FootprintAsync(tenantId)).ShouldBe(before);
        var current = await technician.GetAsync($"/api/tickets/{id}");
        var fresh = new HttpRequestMessage(HttpMethod.Patch, $"/api/tickets/{id}") { Content = JsonContent.Create(new { subject = "Renamed twice" }) };
        fresh.Headers.IfMatch.Add(current.Headers.ETag!);
        (await technician.SendAsync(fresh)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AnOversizedAttachment_Answers413_AndLeavesNoFileOrRow()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var id = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();
        var before = await FootprintAsync(tenantId);
        var folder = Path.Combine(factory.AttachmentsPath, tenantId.ToString("N"), id.ToString("N"));

        using var content = new MultipartFormDataContent
        {
            { new ByteArrayContent(new byte[TicketsFactory.MaxAttachmentBytes + 1]), "file", "dump.bin" },
        };
        var problem = await ProblemAsync(await client.PostAsync($"/api/tickets/{id}/attachments", content), HttpStatusCode.RequestEntityTooLarge);

        problem.GetProperty("errors").TryGetProperty("file", out _).ShouldBeTrue();
        (await FootprintAsync(tenantId)).ShouldBe(before);
        (Directory.Exists(folder) ? Directory.GetFiles(folder) : []).ShouldBeEmpty();
    }

    [Fact]
    public async Task ATicketOfAnUnknownOrSuspendedTenant_IsRefused()
    {
        var (suspended, _) = await factory.TenantAsync(status: "Suspended");
        var client = factory.ClientFor(await factory.ClientUserAsync(suspended));
        var unknown = factory.ClientFor(Msp.Testing.Caller.Client("ClientUser", Guid.CreateVersion7()));

        await ProblemAsync(await client.PostAsJsonAsync("/api/tickets", TicketsFactory.NewTicket()), HttpStatusCode.Conflict);
        (await unknown.PostAsJsonAsync("/api/tickets", TicketsFactory.NewTicket())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE tenant_id = $1", suspended)).ShouldBe(0);
    }
}
