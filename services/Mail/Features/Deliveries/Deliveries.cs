using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.Data;
using Msp.Mail.Domain;
using Msp.Mail.Outbound;
using Msp.Mail.Persistence;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Identity;

namespace Msp.Mail.Features.Deliveries;

public sealed record DeliveryResponse(
    Guid Id, Guid TenantId, Guid EventId, string Recipient, string Template, string Language, Guid? TicketId, string MessageId, DeliveryStatus Status,
    int Attempts, DateTimeOffset? NextAttemptAt, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? SentAt)
{
    public static DeliveryResponse From(Delivery d) => new(
        d.Id, d.TenantId, d.EventId, d.Recipient, d.Template, d.Language, d.TicketId, d.MessageId, d.Status, d.Attempts, d.NextAttemptAt, d.LastError,
        d.CreatedAt, d.SentAt);
}

/// <summary>The delivery log, for operators: every notification with its status, failures and their reason visible,
/// newest first; a failed one can be sent again.</summary>
public static class Deliveries
{
    public static RouteGroupBuilder MapDeliveries(this RouteGroupBuilder group)
    {
        var deliveries = group.MapGroup("/deliveries").RequireAuthorization(MspPolicies.Operators);
        deliveries.MapGet("/", List).WithName("ListDeliveries");
        deliveries.MapGet("/{id:guid}", Get).WithName("GetDelivery");
        deliveries.MapPost("/{id:guid}/retry", Retry).WithName("RetryDelivery");
        return group;
    }

    public static async Task<Results<Ok<Page<DeliveryResponse>>, ValidationProblem>> List(
        MailDb db, CancellationToken ct, DeliveryStatus? status = null, Guid? tenantId = null, Guid? ticketId = null, string? recipient = null,
        int? limit = null, string? cursor = null)
    {
        if (!Paging.TryRead<Guid?>(limit, cursor, out var take, out var before, out var problem))
        {
            return problem!;
        }

        var query = db.Deliveries.AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(d => d.Status == s);
        }

        if (tenantId is { } t)
        {
            query = query.Where(d => d.TenantId == t);
        }

        if (ticketId is { } ticket)
        {
            query = query.Where(d => d.TicketId == ticket);
        }

        if (recipient is { Length: > 0 } r)
        {
            var address = r.Trim().ToLowerInvariant();
            query = query.Where(d => d.Recipient == address);
        }

        if (before is { } last)
        {
            query = query.Where(d => d.Id < last);
        }

        var rows = await query.OrderByDescending(d => d.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(DeliveryResponse.From).ToList().ToPage(take, d => (Guid?)d.Id));
    }

    public static async Task<Results<Ok<DeliveryResponse>, NotFound>> Get(Guid id, MailDb db, CancellationToken ct) =>
        await db.Deliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct) is { } d ? TypedResults.Ok(DeliveryResponse.From(d)) : TypedResults.NotFound();

    /// <summary>Sends a failed delivery again (409 when it is not failed).</summary>
    public static async Task<Results<Ok<DeliveryResponse>, NotFound, ProblemHttpResult>> Retry(
        Guid id, MailDb db, TimeProvider clock, DeliverySignal signal, CancellationToken ct)
    {
        var delivery = await db.Deliveries.FirstOrDefaultAsync(d => d.Id == id, ct);
        if (delivery is null)
        {
            return TypedResults.NotFound();
        }

        if (!delivery.Retry(clock.GetUtcNow()))
        {
            return Problems.Conflict("status", $"Only a failed delivery is sent again; this one is {delivery.Status}.");
        }

        await db.SaveChangesAsync(ct);
        signal.Wake();
        return TypedResults.Ok(DeliveryResponse.From(delivery));
    }
}
