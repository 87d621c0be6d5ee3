using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Hosting;
using Msp.Data;
using Msp.KnownParties;
using Msp.ServiceDefaults.Identity;
using Msp.ServiceDefaults.Validation;
using Msp.Tickets.Domain;
using Msp.Tickets.Persistence;

namespace Msp.Tickets.Features.CreateTicket;

/// <summary>A client opens a ticket for themself; staff name the tenant, the requester and the source.</summary>
public sealed record CreateTicketRequest(
    string? Subject, string? Description, Level? Impact, Level? Urgency, string? Category, Guid? TenantId, Guid? RequesterId, TicketSource? Source);

public sealed class CreateTicketValidator : AbstractValidator<CreateTicketRequest>
{
    public CreateTicketValidator()
    {
        RuleFor(r => r.Subject).NotEmpty().WithMessage("Subject is required.").MaximumLength(200);
        RuleFor(r => r.Description).NotNull().WithMessage("Description is required.").MaximumLength(20_000);
        RuleFor(r => r.Impact).NotNull().WithMessage("Impact is required: High, Medium or Low.");
        RuleFor(r => r.Urgency).NotNull().WithMessage("Urgency is required: High, Medium or Low.");
        RuleFor(r => r.Category).MaximumLength(50);
    }
}

public static class CreateTicket
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static RouteGroupBuilder MapCreateTicket(this RouteGroupBuilder group)
    {
        group.MapPost("/", Handle).Validate<CreateTicketRequest>().WithName(nameof(CreateTicket));
        return group;
    }

    public static async Task<Results<Created<TicketResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Handle(
        CreateTicketRequest request, ClaimsPrincipal user, TicketsDb db, KnownTenantLookup tenants, TicketOpener opener, HttpContext http, CancellationToken ct)
    {
        var actor = Actor.From(user);
        var key = http.Request.Headers[IdempotencyHeader].ToString();
        if (key.Length > 100)
        {
            return Problems.Invalid(IdempotencyHeader, "The Idempotency-Key may be at most 100 characters.");
        }

        var hash = key.Length == 0 ? "" : Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request)));
        if (key.Length > 0 && await ReplayAsync(db, actor, key, hash, ct) is { } replayed)
        {
            return replayed;
        }

        Guid tenantId;
        Guid requesterId;
        TicketSource source;
        if (actor.IsClient)
        {
            (tenantId, requesterId) = (actor.TenantId!.Value, actor.Id);
            source = request.Source is TicketSource.Api or TicketSource.Email ? request.Source.Value : TicketSource.Portal;
        }
        else
        {
            if (request.TenantId is not { } t)
            {
                return Problems.Invalid("tenantId", "Staff name the tenant the ticket is for.");
            }

            if (request.RequesterId is not { } r)
            {
                return Problems.Invalid("requesterId", "Staff name the tenant's user who asks for help.");
            }

            (tenantId, requesterId, source) = (t, r, request.Source ?? TicketSource.Staff);
        }

        var tenant = await tenants.FindAsync(db, tenantId, ct);
        if (tenant is null)
        {
            return TypedResults.NotFound();
        }

        if (tenant.Status != "Active")
        {
            return Problems.Conflict("tenantId", $"The tenant is {tenant.Status.ToLowerInvariant()}; it cannot open tickets.");
        }

        if (actor.IsStaff && !await db.KnownUsers.AnyAsync(u => u.Id == requesterId && u.TenantId == tenantId && u.DeactivatedAt == null, ct))
        {
            return Problems.Invalid("requesterId", "The requester must be an active user of the tenant.");
        }

        var category = request.Category?.Trim().ToLowerInvariant();
        if (category is { Length: > 0 } && !await db.Categories.AnyAsync(c => c.Key == category && c.IsActive, ct))
        {
            return Problems.Invalid("category", $"Unknown or retired category '{request.Category}'. GET /api/tickets/categories lists them.");
        }

        var draft = new TicketDraft(request.Subject!.Trim(), request.Description!, requesterId, source, category is { Length: > 0 } ? category : null, request.Impact!.Value, request.Urgency!.Value);
        Ticket ticket;
        try
        {
            ticket = await opener.OpenAsync(new TicketOpening(tenantId, tenant.Slug, draft, actor, key, hash, http.TraceIdentifier));
        }
        catch (Exception e) when (key.Length > 0 && e.IsUniqueViolation("idempotency_keys_pkey"))
        {
            // A concurrent retry with the same key won: this attempt's number went back with its rollback.
            return await ReplayAsync(db, actor, key, hash, ct) ?? throw new InvalidOperationException("The winning create is not visible.", e);
        }

        var response = TicketResponse.From(ticket);
        http.Response.Headers.ETag = response.ETag;
        return TypedResults.Created($"/api/tickets/{ticket.Id}", response);
    }

    /// <summary>The answer to a retry: the first attempt's ticket, or 422 when the key came with another request.</summary>
    private static async Task<Results<Created<TicketResponse>, NotFound, ValidationProblem, ProblemHttpResult>?> ReplayAsync(
        TicketsDb db, Actor actor, string key, string hash, CancellationToken ct)
    {
        var first = await db.IdempotencyKeys.AsNoTracking().FirstOrDefaultAsync(k => k.CallerId == actor.Id && k.Key == key, ct);
        if (first is null)
        {
            return null;
        }

        if (first.RequestHash != hash)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency key reused",
                detail: "This Idempotency-Key was sent before with a different request.",
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [IdempotencyHeader] = ["Used before with a different request."] } });
        }

        var ticket = await db.Tickets.AsNoTracking().FirstAsync(t => t.Id == first.TicketId, ct);
        return TypedResults.Created($"/api/tickets/{ticket.Id}", TicketResponse.From(ticket));
    }
}
