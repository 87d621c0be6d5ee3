using System.Net.Http.Json;
using System.Text.Json;
using Msp.Browser.Screens;

namespace Msp.Browser.Desk;

/// <summary>Issue 20, the ticket page's attachments: a technician sends a file with a reply and another with an internal
/// note, downloads the first back byte for byte through the web app; the client sees the reply's file and not the
/// note's; a client of another tenant gets "not found" for the file's addresses.</summary>
[Collection(nameof(PortalCollection))]
public sealed class AttachmentsTests(PortalFixture portal)
{
    [Fact]
    public async Task ATechnicianUploadsAndDownloadsAFile_TheNotesFileStaysInternal_AndAnotherTenantGetsNotFound()
    {
        var (tenant, _) = await portal.TenantAsync();
        var (other, _) = await portal.TenantAsync();
        var client = await portal.ClientAsync(tenant, "ClientUser", "Fabio Files");
        var stranger = await portal.ClientAsync(other, "ClientAdmin", "Sid Stranger");
        var technician = await portal.TechnicianAsync(tenant);
        var (id, _) = await PortalFixture.OpenTicketAsync(client, "Invoices will not print");
        var bytes = new byte[3000];
        Random.Shared.NextBytes(bytes);

        await using var visit = await portal.VisitAsync();
        await new SignInScreen(visit).OpenAsync();
        await new SignInScreen(visit).SignInAsync(technician.Email, technician.Password);
        await visit.GoAsync($"/desk/tickets/{id}");
        await Expect(visit.Page.GetByText("No file is attached to this ticket.")).ToBeVisibleAsync();

        await visit.Page.GetByLabel("Message").FillAsync("The print log, for the record.");
        await visit.Page.GetByLabel("Attachments").SetInputFilesAsync(new FilePayload { Name = "print-log.bin", MimeType = "application/octet-stream", Buffer = bytes });
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Reply to client" }).ClickAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your reply was sent to the client.");
        var files = visit.Page.GetByRole(AriaRole.Region, new() { Name = "Attached files" });
        var link = files.GetByRole(AriaRole.Link, new() { Name = "print-log.bin" });
        await Expect(link).ToBeVisibleAsync();
        await Expect(files.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "print-log.bin" })).ToContainTextAsync("with a reply by You");

        var download = await visit.Page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        download.SuggestedFilename.ShouldBe("print-log.bin");
        (await File.ReadAllBytesAsync((await download.PathAsync())!)).ShouldBe(bytes);

        // A file with an internal note is internal: labelled so here, and out of the client's sight.
        await visit.Page.GetByLabel("Message").FillAsync("Driver dump, for us.");
        await visit.Page.GetByLabel("Attachments").SetInputFilesAsync(new FilePayload { Name = "driver-dump.txt", MimeType = "text/plain", Buffer = "dump"u8.ToArray() });
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Internal note", Exact = true }).ClickAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("The client does not see it.");
        var internalFile = files.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "driver-dump.txt" });
        await Expect(internalFile).ToContainTextAsync("Internal");
        await Expect(internalFile).ToContainTextAsync("with an internal note by You");
        await visit.ShowsAsync("desk-ticket-files");

        var staffList = await technician.Api.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}/attachments");
        var publicId = staffList.EnumerateArray().Single(a => a.GetProperty("fileName").GetString() == "print-log.bin").GetProperty("id").GetGuid();
        var internalId = staffList.EnumerateArray().Single(a => a.GetProperty("fileName").GetString() == "driver-dump.txt").GetProperty("id").GetGuid();
        var clientList = await client.Api.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}/attachments");
        clientList.EnumerateArray().Select(a => a.GetProperty("fileName").GetString()).ShouldBe(["print-log.bin"]);

        await using (var clientVisit = await portal.VisitAsync())
        {
            await new SignInScreen(clientVisit).OpenAsync();
            await new SignInScreen(clientVisit).SignInAsync(client.Email, client.Password);
            await clientVisit.GoAsync($"/portal/tickets/{id}");
            await Expect(clientVisit.Page.GetByRole(AriaRole.Link, new() { Name = "print-log.bin" })).ToBeVisibleAsync();
            (await clientVisit.Page.ContentAsync()).ShouldNotContain("driver-dump.txt");
            (await clientVisit.GoAsync($"/portal/tickets/{id}/attachments/{internalId}"))!.Status.ShouldBe(404);
            (await clientVisit.GoAsync($"/desk/tickets/{id}/attachments/{internalId}"))!.Status.ShouldBe(404);
        }

        // Another tenant's client: both addresses of the file are "not found", as for a file that does not exist.
        await using (var strangerVisit = await portal.VisitAsync())
        {
            await new SignInScreen(strangerVisit).OpenAsync();
            await new SignInScreen(strangerVisit).SignInAsync(stranger.Email, stranger.Password);
            (await strangerVisit.GoAsync($"/desk/tickets/{id}/attachments/{publicId}"))!.Status.ShouldBe(404);
            (await strangerVisit.Page.ContentAsync()).ShouldNotContain("print-log.bin");
            (await strangerVisit.GoAsync($"/portal/tickets/{id}/attachments/{publicId}"))!.Status.ShouldBe(404);
        }

        // In Italian on a phone (the profile's language wins once signed in).
        (await technician.Api.PutAsJsonAsync("/api/auth/me/profile", new { displayName = technician.DisplayName, language = "it", timeZone = "Europe/Rome" })).EnsureSuccessStatusCode();
        await using var phone = await portal.VisitAsync(phone: true);
        await new SignInScreen(phone).OpenAsync();
        await new SignInScreen(phone).SignInAsync(technician.Email, technician.Password);
        await phone.GoAsync($"/desk/tickets/{id}");
        await Expect(phone.Page.GetByRole(AriaRole.Link, new() { Name = "driver-dump.txt" })).ToBeVisibleAsync();
        (await phone.Page.Locator("html").GetAttributeAsync("lang")).ShouldBe("it");
        await phone.ShowsAsync("desk-ticket-files");
    }
}
