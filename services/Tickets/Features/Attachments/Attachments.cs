using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Msp.ServiceDefaults.Hosting;
using Msp.Tickets.Domain;
using Msp.Tickets.Persistence;

namespace Msp.Tickets.Features.Attachments;

public sealed record AttachmentResponse(
    Guid Id, Guid? CommentId, string FileName, string ContentType, long SizeBytes, string Sha256, Visibility Visibility, Guid UploadedBy, DateTimeOffset CreatedAt)
{
    /// <summary>The same as <see cref="SizeBytes"/>, under the name the comments' files use.</summary>
    public long Size => SizeBytes;

    public static AttachmentResponse From(TicketAttachment a) =>
        new(a.Id, a.CommentId, a.FileName, a.ContentType, a.SizeBytes, a.Sha256, a.Visibility, a.UploadedBy, a.CreatedAt);
}

/// <summary>Files on tickets. An upload is a <c>multipart/form-data</c> body with one <c>file</c> part (and optional
/// <c>visibility</c> and <c>commentId</c> fields), streamed to disk as it arrives, never buffered whole; the cap is
/// <c>Msp:Tickets:MaxAttachmentBytes</c>. Files live under one folder per tenant and are served only within scope.</summary>
public static class Attachments
{
    public static RouteGroupBuilder MapAttachments(this RouteGroupBuilder group, TicketsOptions options)
    {
        group.MapPost("/{id:guid}/attachments", Upload).WithMetadata(new BodySizeLimit(options.MaxAttachmentBytes + 64 * 1024))
            .Accepts<IFormFile>("multipart/form-data").DisableAntiforgery().WithName("UploadAttachment");
        group.MapGet("/{id:guid}/attachments", List).WithName("ListAttachments");
        group.MapGet("/{id:guid}/attachments/{attachmentId:guid}", Download).WithName("DownloadAttachment");
        return group;
    }

    public static async Task<Results<Created<AttachmentResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Upload(
        Guid id, ClaimsPrincipal user, TicketsDb db, IOptions<TicketsOptions> options, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var actor = Actor.From(user);
        var ticket = await db.FindVisibleAsync(id, actor, ct);
        if (ticket is null)
        {
            return TypedResults.NotFound();
        }

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary)
        {
            return Problems.Invalid("file", "Send the file as multipart/form-data with a 'file' part.");
        }

        var cap = options.Value.MaxAttachmentBytes;
        var attachmentId = Guid.CreateVersion7();
        var folder = Path.Combine(options.Value.AttachmentsPath, ticket.TenantId.ToString("N"), ticket.Id.ToString("N"));
        Directory.CreateDirectory(folder);
        var final = Path.Combine(folder, attachmentId.ToString("N"));
        var partial = final + ".part";
        Visibility? visibility = null;
        (Guid Id, Visibility Visibility)? comment = null;
        (string Name, string Type, long Size, string Hash)? file = null;
        try
        {
            var reader = new MultipartReader(boundary, http.Request.Body);
            while (await ReadAsync(() => reader.ReadNextSectionAsync(ct)) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                {
                    continue;
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (disposition.IsFileDisposition() && name == "file" && file is null)
                {
                    var fileName = Path.GetFileName(HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "");
                    if (fileName.Length is 0 or > 255)
                    {
                        return Problems.Invalid("file", "The file needs a name of at most 255 characters.");
                    }

                    if (!StorableText.IsStorable(fileName) || !StorableText.IsStorable(section.ContentType))
                    {
                        return Problems.Invalid("file", $"The file's name or type: {StorableText.Message}");
                    }

                    var copied = await CopyCappedAsync(section.Body, partial, cap, ct);
                    if (copied is null)
                    {
                        return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Attachment too large",
                            detail: $"An attachment may be at most {cap} bytes.",
                            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["file"] = [$"At most {cap} bytes."] } });
                    }

                    file = (fileName, section.ContentType ?? "application/octet-stream", copied.Value.Size, copied.Value.Hash);
                }
                else if (name is "visibility" or "commentId")
                {
                    var value = (await ReadAsync(() => new StreamReader(section.Body).ReadToEndAsync(ct))).Trim();
                    if (name == "visibility")
                    {
                        if (!Enum.TryParse<Visibility>(value, out var parsed) || int.TryParse(value, out _))
                        {
                            return Problems.Invalid("visibility", "Visibility is Public or Internal.");
                        }

                        visibility = parsed;
                    }

                    if (name == "commentId")
                    {
                        // A file joins a comment of the same ticket by the same author: a client's reply, a technician's note.
                        var found = Guid.TryParse(value, out var parsed)
                            ? await db.Comments.Where(c => c.Id == parsed && c.TicketId == id && c.AuthorId == actor.Id).Select(c => (Visibility?)c.Visibility).FirstOrDefaultAsync(ct)
                            : null;
                        if (found is not { } commentVisibility)
                        {
                            return Problems.Invalid("commentId", "The comment is not one of yours on this ticket.");
                        }

                        comment = (parsed, commentVisibility);
                    }
                }
            }

            if (file is not { } f)
            {
                return Problems.Invalid("file", "The upload has no 'file' part.");
            }

            // A file on an internal note is internal: it must not show where the note does not.
            if (comment is { Visibility: Visibility.Internal } && visibility == Visibility.Public)
            {
                return Problems.Invalid("visibility", "A file on an internal note is internal.");
            }

            var effective = comment?.Visibility == Visibility.Internal ? Visibility.Internal : visibility ?? Visibility.Public;
            var attachment = TicketAttachment.For(ticket, attachmentId, comment?.Id, f.Name, f.Type, f.Size, f.Hash, effective, actor, clock.GetUtcNow());
            File.Move(partial, final);
            db.Attachments.Add(attachment);
            await db.SaveChangesAsync(ct);
            return TypedResults.Created($"/api/tickets/{id}/attachments/{attachment.Id}", AttachmentResponse.From(attachment));
        }
        catch (Exception e) when (e is InvalidDataException or UnreadableBodyException)
        {
            // A boundary that does not match the body, a body cut short, a part header that does not parse.
            File.Delete(final);
            return Problems.Invalid("file", "The body is not a readable multipart/form-data body with a 'file' part.");
        }
        catch
        {
            File.Delete(final);
            throw;
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>Streams the part to disk, hashing as it goes; null (and nothing kept) when it passes the cap.</summary>
    private static async Task<(long Size, string Hash)?> CopyCappedAsync(Stream source, string path, long cap, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long size = 0;
        await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: true))
        {
            int read;
            while ((read = await ReadAsync(() => source.ReadAsync(buffer, ct).AsTask())) > 0)
            {
                size += read;
                if (size > cap)
                {
                    return null;
                }

                hash.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }

        return (size, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>Reads from the request body; a read that fails because of the body itself (its end came too soon, its
    /// framing is broken) is the caller's mistake, unlike a failure to write the file to disk.</summary>
    private static async Task<T> ReadAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (IOException e)
        {
            throw new UnreadableBodyException(e);
        }
    }

    private sealed class UnreadableBodyException(Exception inner) : Exception("The request body could not be read.", inner);

    public static async Task<Results<Ok<List<AttachmentResponse>>, NotFound>> List(Guid id, ClaimsPrincipal user, TicketsDb db, CancellationToken ct)
    {
        var actor = Actor.From(user);
        if (!await db.VisibleTo(actor).AnyAsync(t => t.Id == id, ct))
        {
            return TypedResults.NotFound();
        }

        var query = db.Attachments.AsNoTracking().Where(a => a.TicketId == id);
        if (actor.IsClient)
        {
            query = query.Where(a => a.Visibility == Visibility.Public);
        }

        return TypedResults.Ok(await query.OrderBy(a => a.Id).Select(a => AttachmentResponse.From(a)).ToListAsync(ct));
    }

    public static async Task<Results<FileStreamHttpResult, NotFound>> Download(
        Guid id, Guid attachmentId, ClaimsPrincipal user, TicketsDb db, IOptions<TicketsOptions> options, CancellationToken ct)
    {
        var actor = Actor.From(user);
        var ticket = await db.VisibleTo(actor).AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        var attachment = ticket is null ? null : await db.Attachments.AsNoTracking()
            .FirstOrDefaultAsync(a => a.Id == attachmentId && a.TicketId == id && (!actor.IsClient || a.Visibility == Visibility.Public), ct);
        var path = attachment is null ? null : Path.Combine(options.Value.AttachmentsPath, attachment.TenantId.ToString("N"), id.ToString("N"), attachment.Id.ToString("N"));
        if (path is null || !File.Exists(path))
        {
            return TypedResults.NotFound();
        }

        return TypedResults.File(File.OpenRead(path), attachment!.ContentType, attachment.FileName);
    }
}
