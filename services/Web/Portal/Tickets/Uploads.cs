using Microsoft.Extensions.Localization;
using Msp.Web.Api;
using Msp.Web.Components;
using Msp.Web.Localization;

namespace Msp.Web.Portal.Tickets;

/// <summary>The files of a form post (a new ticket or a reply): checked against the caps before anything is sent,
/// then streamed to the Tickets API one by one.</summary>
public sealed class Uploads(IFormFileCollection files, WebOptions options)
{
    public IReadOnlyList<IFormFile> Files { get; } = [.. files.GetFiles("attachments").Where(f => f.Length > 0 || f.FileName.Length > 0)];

    public bool Check(FormErrors errors, IStringLocalizer<Text> text, UserFormats formats)
    {
        if (Files.Count > options.MaxAttachments)
        {
            errors.Add("attachments", text["Attachments.TooMany", options.MaxAttachments]);
        }

        foreach (var file in Files.Where(f => f.Length > options.MaxAttachmentBytes))
        {
            errors.Add("attachments", text["Attachments.TooLarge", file.FileName, formats.Size(file.Length), formats.Size(options.MaxAttachmentBytes)]);
        }

        return !errors.Has("attachments");
    }

    /// <summary>Sends every file; the names of those the API refused (it has the last word on size) come back.</summary>
    public async Task<IReadOnlyList<string>> SendAsync(TicketsApi tickets, Guid ticketId, Guid? commentId, CancellationToken ct)
    {
        var refused = new List<string>();
        foreach (var file in Files)
        {
            try
            {
                await using var content = file.OpenReadStream();
                await tickets.UploadAsync(ticketId, file.FileName, file.ContentType, content, commentId, ct);
            }
            catch (ApiProblemException)
            {
                refused.Add(file.FileName);
            }
        }

        return refused;
    }
}

/// <summary>Download links of a ticket's files go through the web app, which fetches them with the user's token. The
/// portal's address is for clients; the desk's is open to whoever is signed in, because Tickets decides what each may
/// fetch (a file of a ticket out of scope, or an internal one asked for by a client, is "not found") (decision 0119).</summary>
public static class AttachmentDownload
{
    public static WebApplication MapAttachmentDownload(this WebApplication app)
    {
        app.MapGet("/portal/tickets/{id:guid}/attachments/{attachmentId:guid}", StreamAsync)
            .RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { Roles = Roles.Clients });
        app.MapGet("/desk/tickets/{id:guid}/attachments/{attachmentId:guid}", StreamAsync).RequireAuthorization();
        return app;
    }

    private static async Task StreamAsync(Guid id, Guid attachmentId, TicketsApi tickets, HttpContext http)
    {
        using var response = await tickets.DownloadAsync(id, attachmentId, http.RequestAborted);
        http.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream";
        if (response.Content.Headers.ContentLength is { } length)
        {
            http.Response.ContentLength = length;
        }

        http.Response.Headers.ContentDisposition = response.Content.Headers.ContentDisposition?.ToString() ?? "attachment";
        await using var body = await response.Content.ReadAsStreamAsync(http.RequestAborted);
        await body.CopyToAsync(http.Response.Body, http.RequestAborted);
    }
}
