using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.Data;
using Msp.Mail.Domain;
using Msp.Mail.Inbound;
using Msp.Mail.Persistence;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Identity;
using Msp.KnownParties;
using Msp.ServiceDefaults.Validation;

namespace Msp.Mail.Features.Unmatched;

public sealed record InboundMessageResponse(
    Guid Id, Guid? TenantId, string MessageId, string Sender, string SenderName, string Subject, InboundOutcome Outcome, string? Reason, Guid? TicketId,
    Guid? AuthorId, DateTimeOffset ReceivedAt, DateTimeOffset ProcessedAt, DateTimeOffset? AssignedAt)
{
    public static InboundMessageResponse From(InboundMessage m) => new(
        m.Id, m.TenantId, m.MessageId, m.Sender, m.SenderName, m.Subject, m.Outcome, m.Reason, m.TicketId, m.AuthorId, m.ReceivedAt, m.ProcessedAt, m.AssignedAt);
}

public sealed record AssignUnmatchedRequest(Guid? TenantId);

public sealed class AssignUnmatchedValidator : AbstractValidator<AssignUnmatchedRequest>
{
    public AssignUnmatchedValidator() => RuleFor(r => r.TenantId).NotEmpty().WithMessage("Name the tenant the mail belongs to.");
}

/// <summary>The support mailbox as operators see it: every message read and its outcome, the unmatched ones, and the
/// assignment of an unmatched one to a tenant (it then opens that tenant's ticket).</summary>
public static class Unmatched
{
    public static RouteGroupBuilder MapUnmatched(this RouteGroupBuilder group)
    {
        var operators = group.MapGroup("/").RequireAuthorization(MspPolicies.Operators);
        operators.MapGet("/inbound", ListInbound).WithName("ListInboundMail");
        operators.MapGet("/unmatched", ListUnmatched).WithName("ListUnmatchedMail");
        operators.MapPost("/unmatched/{id:guid}/assign", Assign).Validate<AssignUnmatchedRequest>().WithName("AssignUnmatchedMail");
        return group;
    }

    public static Task<Results<Ok<Page<InboundMessageResponse>>, ValidationProblem>> ListUnmatched(
        MailDb db, CancellationToken ct, int? limit = null, string? cursor = null) => ListInbound(db, ct, InboundOutcome.Unmatched, limit, cursor);

    public static async Task<Results<Ok<Page<InboundMessageResponse>>, ValidationProblem>> ListInbound(
        MailDb db, CancellationToken ct, InboundOutcome? outcome = null, int? limit = null, string? cursor = null)
    {
        if (!Paging.TryRead<Guid?>(limit, cursor, out var take, out var before, out var problem))
        {
            return problem!;
        }

        var query = db.InboundMessages.AsNoTracking();
        if (outcome is { } o)
        {
            query = query.Where(m => m.Outcome == o);
        }

        if (before is { } last)
        {
            query = query.Where(m => m.Id < last);
        }

        var rows = await query.OrderByDescending(m => m.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(InboundMessageResponse.From).ToList().ToPage(take, m => (Guid?)m.Id));
    }

    /// <summary>404 for a message that is not (or no longer) unmatched, or an unknown tenant; 409 when the sender is
    /// another tenant's user.</summary>
    public static async Task<Results<Ok<InboundMessageResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Assign(
        Guid id, AssignUnmatchedRequest request, ClaimsPrincipal user, MailDb db, InboundProcessor processor, CancellationToken ct)
    {
        var tenantId = request.TenantId!.Value;
        var tenant = await db.KnownTenants.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tenantId, ct);
        if (tenant is null)
        {
            return Problems.Invalid("tenantId", "No such tenant.");
        }

        if (tenant.Status != "Active")
        {
            return Problems.Conflict("tenantId", $"The tenant is {tenant.Status.ToLowerInvariant()}; it cannot open tickets.");
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var (message, refusal) = await processor.AssignAsync(db, id, tenantId, Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!), ct);
        if (message is null)
        {
            return TypedResults.NotFound();
        }

        if (refusal is not null)
        {
            return Problems.Conflict("tenantId", refusal);
        }

        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("id", "The message was assigned by someone else meanwhile.");
        }

        return TypedResults.Ok(InboundMessageResponse.From(message));
    }
}
