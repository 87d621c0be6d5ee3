using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Msp.Data;
using Msp.KnownParties;
using Msp.ServiceDefaults.Identity;
using Msp.Tickets.Features.AutoClose;

namespace Msp.Tickets.Tests.Features;

/// <summary>What staff do on a ticket beyond the conversation: assignment, time, files, and the auto-close job.</summary>
[Collection(nameof(TicketsApiCollection))]
public sealed class WorkingTicketsTests(TicketsFactory factory)
{
    [Fact]
    public async Task Assignment_TakesOnlyStaffWhoServeTheTenant_AndAnExistingQueue()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var (otherTenant, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var dispatcher = factory.ClientFor(await factory.UserAsync(Msp.Testing.Caller.Staff(MspRoles.Operator)));
        var serving = await factory.TechnicianAsync(tenantId);
        var elsewhere = await factory.TechnicianAsync(otherTenant);
        var id = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();

        var wrongTechnician = await dispatcher.PostAsJsonAsync($"/api/tickets/{id}/assign", new { assigneeId = elsewhere.Id });
        var aClient = await dispatcher.PostAsJsonAsync($"/api/tickets/{id}/assign", new { assigneeId = (await factory.ClientUserAsync(tenantId)).Id });
        var noQueue = await dispatcher.PostAsJsonAsync($"/api/tickets/{id}/assign", new { queueId = Guid.CreateVersion7() });
        var queues = await dispatcher.GetFromJsonAsync<JsonElement>("/api/tickets/queues");
        var queueId = queues.EnumerateArray().First().GetProperty("id").GetGuid();
        var assigned = await dispatcher.PostAsJsonAsync($"/api/tickets/{id}/assign", new { assigneeId = serving.Id, queueId });

        wrongTechnician.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await TicketsFactory.ReadAsync(wrongTechnician)).GetProperty("errors").TryGetProperty("assigneeId", out _).ShouldBeTrue();
        aClient.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        noQueue.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        assigned.StatusCode.ShouldBe(HttpStatusCode.OK);
        var ticket = await TicketsFactory.ReadAsync(assigned);
        (ticket.GetProperty("assigneeId").GetGuid(), ticket.GetProperty("queueId").GetGuid()).ShouldBe((serving.Id, queueId));
        (await factory.EventsAsync("TicketAssigned", id)).ShouldBe(1);
    }

    [Fact]
    public async Task TimeEntries_AreLoggedChangedAndDeleted_WithHistory_AndOnlyByTheirAuthorOrAnOperator()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var author = factory.ClientFor(await factory.TechnicianAsync(tenantId));
        var colleague = factory.ClientFor(await factory.TechnicianAsync(tenantId));
        var id = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();

        var logged = await author.PostAsJsonAsync($"/api/tickets/{id}/time-entries", new { minutes = 30, workType = "Remote", billable = true, workDate = "2026-11-02" });
        logged.StatusCode.ShouldBe(HttpStatusCode.Created);
        var entryId = (await TicketsFactory.ReadAsync(logged)).GetProperty("id").GetGuid();
        (await author.PostAsJsonAsync($"/api/tickets/{id}/time-entries", new { minutes = 30, workType = "Teleportation" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await author.PostAsJsonAsync($"/api/tickets/{id}/time-entries", new { minutes = 0, workType = "Remote" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await client.PostAsJsonAsync($"/api/tickets/{id}/time-entries", new { minutes = 30, workType = "Remote" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await colleague.PutAsJsonAsync($"/api/tickets/{id}/time-entries/{entryId}", new { minutes = 90, workType = "Remote" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var changed = await author.PutAsJsonAsync($"/api/tickets/{id}/time-entries/{entryId}", new { minutes = 45, workType = "OnSite", billable = false, workDate = "2026-11-02" });
        (await author.DeleteAsync($"/api/tickets/{id}/time-entries/{entryId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await author.DeleteAsync($"/api/tickets/{id}/time-entries/{entryId}")).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        (await TicketsFactory.ReadAsync(changed)).GetProperty("version").GetInt64().ShouldBe(2);
        var entries = await author.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}/time-entries");
        entries[0].GetProperty("deletedAt").ValueKind.ShouldBe(JsonValueKind.String);
        entries[0].GetProperty("version").GetInt64().ShouldBe(3);
        var history = (await author.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}/history")).GetProperty("items").EnumerateArray()
            .Select(h => h.GetProperty("action").GetString()).ToList();
        history.ShouldBe(["Created", "TimeLogged", "TimeChanged", "TimeDeleted"]);
        var clientHistory = (await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}/history")).GetProperty("items").EnumerateArray().Count();
        clientHistory.ShouldBe(1);
        (await factory.EventsAsync("TimeEntryLogged", id)).ShouldBe(1);
        (await factory.EventsAsync("TimeEntryChanged", id)).ShouldBe(2);
    }

    [Fact]
    public async Task Attachments_AreStoredPerTenant_DownloadedWithinScope_AndInternalOnesHiddenFromClients()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var (otherTenant, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenantId));
        var stranger = factory.ClientFor(await factory.ClientUserAsync(otherTenant, MspRoles.ClientAdmin));
        var id = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();
        var bytes = Enumerable.Range(0, 50_000).Select(i => (byte)(i % 251)).ToArray();

        using var upload = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", "screenshot.png" } };
        var uploaded = await client.PostAsync($"/api/tickets/{id}/attachments", upload);
        using var note = new MultipartFormDataContent { { new StringContent("Internal"), "visibility" }, { new ByteArrayContent("x"u8.ToArray()), "file", "diag.txt" } };
        var internalFile = await technician.PostAsync($"/api/tickets/{id}/attachments", note);

        uploaded.StatusCode.ShouldBe(HttpStatusCode.Created);
        internalFile.StatusCode.ShouldBe(HttpStatusCode.Created);
        var attachment = await TicketsFactory.ReadAsync(uploaded);
        attachment.GetProperty("sizeBytes").GetInt64().ShouldBe(bytes.Length);
        attachment.GetProperty("sha256").GetString().ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        var attachmentId = attachment.GetProperty("id").GetGuid();
        File.Exists(Path.Combine(factory.AttachmentsPath, tenantId.ToString("N"), id.ToString("N"), attachmentId.ToString("N"))).ShouldBeTrue();

        (await client.GetByteArrayAsync($"/api/tickets/{id}/attachments/{attachmentId}")).ShouldBe(bytes);
        (await stranger.GetAsync($"/api/tickets/{id}/attachments/{attachmentId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var internalId = (await TicketsFactory.ReadAsync(internalFile)).GetProperty("id").GetGuid();
        (await client.GetAsync($"/api/tickets/{id}/attachments/{internalId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}/attachments")).GetArrayLength().ShouldBe(1);
        (await technician.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}/attachments")).GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task TheAutoCloseJob_ClosesTicketsResolvedLongEnoughAgo_OnceEach()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenantId));
        var old = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();
        var recent = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();
        foreach (var id in new[] { old, recent })
        {
            (await technician.PostAsJsonAsync($"/api/tickets/{id}/status", new { status = "Resolved" })).EnsureSuccessStatusCode();
        }

        await factory.Database.ScalarAsync<int>("UPDATE tickets SET resolved_at = now() - interval '4 days' WHERE id = $1 RETURNING 1", old);
        var job = ActivatorUtilities.CreateInstance<AutoCloseJob>(factory.Services);

        await Task.WhenAll(job.CloseBatchAsync(CancellationToken.None), job.CloseBatchAsync(CancellationToken.None));
        await job.CloseBatchAsync(CancellationToken.None);

        (await factory.Database.ScalarAsync<string>("SELECT status FROM tickets WHERE id = $1", old)).ShouldBe("Closed");
        (await factory.Database.ScalarAsync<string>("SELECT status FROM tickets WHERE id = $1", recent)).ShouldBe("Resolved");
        (await factory.EventsAsync("TicketClosed", old)).ShouldBe(1);
        (await factory.EventsAsync("TicketClosed", recent)).ShouldBe(0);
    }
}
