using System.Globalization;
using System.Security.Claims;
using System.Text;
using CsvHelper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.Billing.Domain;
using Msp.Billing.Persistence;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Identity;
using Msp.KnownParties;
using Msp.Messaging;
using Msp.Data;

namespace Msp.Billing.Features.Invoices;

public sealed record InvoiceSummary(
    Guid Id, Guid TenantId, string Period, InvoiceKind Kind, InvoiceStatus Status, string? Number, string Currency, decimal Subtotal, decimal Tax,
    decimal Total, DateTimeOffset? IssuedAt, DateOnly? DueOn)
{
    public static InvoiceSummary From(Invoice i) => new(i.Id, i.TenantId, i.Period, i.Kind, i.Status, i.Number, i.Currency, i.Subtotal, i.Tax, i.Total, i.IssuedAt, i.DueOn);
}

public sealed record InvoiceResponse(
    Guid Id, Guid TenantId, string Period, InvoiceKind Kind, InvoiceStatus Status, string? Number, string Currency, decimal TaxRatePercent,
    IReadOnlyList<InvoiceLine> Lines, decimal Subtotal, decimal Tax, decimal Total, Guid? Voids, Guid? VoidedBy, DateTimeOffset? IssuedAt, DateOnly? DueOn,
    DateTimeOffset? PaidAt, DateTimeOffset? VoidedAt, DateTimeOffset UpdatedAt)
{
    public static InvoiceResponse From(Invoice i) => new(i.Id, i.TenantId, i.Period, i.Kind, i.Status, i.Number, i.Currency, i.TaxRatePercent, i.Lines,
        i.Subtotal, i.Tax, i.Total, i.Voids, i.VoidedBy, i.IssuedAt, i.DueOn, i.PaidAt, i.VoidedAt, i.UpdatedAt);
}

public sealed record VoidResponse(InvoiceResponse Invoice, InvoiceResponse CreditNote);

/// <summary>Invoices and credit notes: read by Operators and Admins, and by a ClientAdmin for their own tenant once
/// issued; issued, voided and marked paid by Operators and Admins; exported for accounting.</summary>
public static class Invoices
{
    public static RouteGroupBuilder MapInvoices(this RouteGroupBuilder group)
    {
        var invoices = group.MapGroup("/invoices");
        invoices.MapGet("/", List).RequireAuthorization(BillingPolicies.AccountReaders).WithName("ListInvoices");
        invoices.MapGet("/{id:guid}", Get).RequireAuthorization(BillingPolicies.AccountReaders).WithName("GetInvoice");
        invoices.MapPost("/{id:guid}/issue", Issue).RequireAuthorization(MspPolicies.Operators).WithName("IssueInvoice");
        invoices.MapPost("/{id:guid}/void", Void).RequireAuthorization(MspPolicies.Operators).WithName("VoidInvoice");
        invoices.MapPost("/{id:guid}/paid", MarkPaid).RequireAuthorization(MspPolicies.Operators).WithName("MarkInvoicePaid");
        invoices.MapGet("/export", Export).RequireAuthorization(MspPolicies.Operators).WithName("ExportInvoices");
        return group;
    }

    /// <summary>Clients see issued documents only, never a draft.</summary>
    private static IQueryable<Invoice> Visible(BillingDb db, ClaimsPrincipal user) =>
        user.IsInRole(MspRoles.ClientAdmin) ? db.Invoices.Where(i => i.Status != InvoiceStatus.Draft) : db.Invoices;

    public static async Task<Results<Ok<Page<InvoiceSummary>>, ValidationProblem>> List(
        Guid? tenantId, string? period, InvoiceStatus? status, int? limit, string? cursor, BillingDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!Paging.TryRead<Guid?>(limit, cursor, out var take, out var after, out var problem))
        {
            return problem!;
        }

        if (period is not null && !BillingPeriod.TryParse(period, out _))
        {
            return Problems.Invalid("period", BillingPeriod.Format);
        }

        var rows = await Visible(db, user).AsNoTracking()
            .Where(i => tenantId == null || i.TenantId == tenantId)
            .Where(i => period == null || i.Period == period)
            .Where(i => status == null || i.Status == status)
            .Where(i => after == null || i.Id.CompareTo(after.Value) > 0)
            .OrderBy(i => i.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(InvoiceSummary.From).ToList().ToPage(take, i => (Guid?)i.Id));
    }

    public static async Task<Results<Ok<InvoiceResponse>, NotFound>> Get(Guid id, BillingDb db, ClaimsPrincipal user, CancellationToken ct) =>
        await Visible(db, user).AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct) is { } invoice
            ? TypedResults.Ok(InvoiceResponse.From(invoice))
            : TypedResults.NotFound();

    /// <summary>Issues a draft, computed again first: a draft the usage has moved on from is brought up to date and
    /// answered 409, so that what is issued is what was reviewed.</summary>
    public static async Task<Results<Ok<InvoiceResponse>, NotFound, ProblemHttpResult>> Issue(Guid id, BillingDb db, TimeProvider clock, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await LockedAsync(db, id, ct) is not { } invoice)
        {
            return TypedResults.NotFound();
        }

        if (invoice.CannotIssue is { } reason)
        {
            return Problems.Conflict("status", reason);
        }

        var inputs = await InvoiceInputs.LoadAsync(db, invoice.TenantId, Period(invoice), DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), ct);
        var computed = InvoiceCalculation.Compute(inputs!);
        var now = clock.GetUtcNow();
        if (await InvoiceRunner.RefreshDraftAsync(db, invoice, computed, now, ct))
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return Problems.Conflict("id", "The draft was out of date (usage changed since it was computed). It now shows the current figures: review it and issue it again.");
        }

        var account = await db.Accounts.AsNoTracking().FirstAsync(a => a.TenantId == invoice.TenantId, ct);
        db.PublishOnSave(invoice.Issue(await NextNumberAsync(db, "INV", ct), account.PaymentTermsDays, now) with { BillingContact = account.BillingContact });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(InvoiceResponse.From(invoice));
    }

    /// <summary>Voids an issued invoice by issuing its credit note. The period can then be invoiced again, and the time
    /// it billed counts as not billed.</summary>
    public static async Task<Results<Ok<VoidResponse>, NotFound, ProblemHttpResult>> Void(Guid id, BillingDb db, TimeProvider clock, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await LockedAsync(db, id, ct) is not { } invoice)
        {
            return TypedResults.NotFound();
        }

        if (invoice.CannotVoid is { } reason)
        {
            return Problems.Conflict("status", reason);
        }

        var (note, issued) = invoice.Void(await NextNumberAsync(db, "CN", ct), clock.GetUtcNow());
        db.Invoices.Add(note);
        db.PublishOnSave(issued);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(new VoidResponse(InvoiceResponse.From(invoice), InvoiceResponse.From(note)));
    }

    public static async Task<Results<Ok<InvoiceResponse>, NotFound, ProblemHttpResult>> MarkPaid(Guid id, BillingDb db, TimeProvider clock, CancellationToken ct)
    {
        var invoice = await db.Invoices.FirstOrDefaultAsync(i => i.Id == id, ct);
        if (invoice is null)
        {
            return TypedResults.NotFound();
        }

        if (invoice.CannotMarkPaid is { } reason)
        {
            return Problems.Conflict("status", reason);
        }

        invoice.MarkPaid(clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("id", "The invoice changed at the same time; read it again.");
        }

        return TypedResults.Ok(InvoiceResponse.From(invoice));
    }

    /// <summary>The documents issued for a period (invoices, voided ones included, and credit notes), one row per line:
    /// CSV with <c>?format=csv</c>, JSON otherwise.</summary>
    public static async Task<Results<Ok<List<InvoiceResponse>>, FileContentHttpResult, ValidationProblem>> Export(
        string? period, string? format, BillingDb db, CancellationToken ct)
    {
        if (!BillingPeriod.TryParse(period, out var month))
        {
            return Problems.Invalid("period", BillingPeriod.Format);
        }

        if (format is not (null or "json" or "csv"))
        {
            return Problems.Invalid("format", "Format is csv or json.");
        }

        var text = month.ToString();
        var documents = await db.Invoices.AsNoTracking().Where(i => i.Period == text && i.Status != InvoiceStatus.Draft)
            .OrderBy(i => i.Number).ToListAsync(ct);
        if (format != "csv")
        {
            return TypedResults.Ok(documents.Select(InvoiceResponse.From).ToList());
        }

        var slugs = await db.KnownTenants.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Slug, ct);
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
        {
            csv.WriteRecords(documents.SelectMany(d => d.Lines.Select((l, n) => new
            {
                number = d.Number,
                kind = d.Kind,
                status = d.Status,
                tenant_id = d.TenantId,
                tenant = slugs.GetValueOrDefault(d.TenantId),
                period = d.Period,
                issued_on = d.IssuedAt?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                due_on = d.DueOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                currency = d.Currency,
                line = n + 1,
                line_kind = l.Kind,
                description = l.Description,
                quantity = l.Quantity,
                unit_price = l.UnitPrice,
                amount = l.Amount,
                minutes = l.Minutes,
                tax_rate_percent = d.TaxRatePercent,
                invoice_subtotal = d.Subtotal,
                invoice_tax = d.Tax,
                invoice_total = d.Total,
            })));
        }

        return TypedResults.File(Encoding.UTF8.GetBytes(writer.ToString()), "text/csv; charset=utf-8", $"invoices-{month}.csv");
    }

    public static BillingPeriod Period(Invoice invoice)
    {
        BillingPeriod.TryParse(invoice.Period, out var period);
        return period;
    }

    /// <summary>The invoice, with its tenant's billing lock held until the transaction ends.</summary>
    private static async Task<Invoice?> LockedAsync(BillingDb db, Guid id, CancellationToken ct)
    {
        var tenantId = await db.Invoices.AsNoTracking().Where(i => i.Id == id).Select(i => (Guid?)i.TenantId).FirstOrDefaultAsync(ct);
        if (tenantId is null)
        {
            return null;
        }

        await InvoiceRunner.LockTenantAsync(db, tenantId.Value, ct);
        return await db.Invoices.FirstOrDefaultAsync(i => i.Id == id, ct);
    }

    /// <summary>The next number of a series, taken in the caller's transaction: a rollback gives it back, so issued
    /// numbers have no gaps.</summary>
    private static async Task<string> NextNumberAsync(BillingDb db, string series, CancellationToken ct)
    {
        var next = (await db.Database.SqlQuery<long>(
            $"UPDATE invoice_numbers SET last_number = last_number + 1 WHERE series = {series} RETURNING last_number AS \"Value\"").ToListAsync(ct)).Single();
        return $"{series}-{next:000000}";
    }
}

public static class BillingPolicies
{
    /// <summary>Who reads a tenant's billing: its ClientAdmin, and the provider's Operators and Admins (technicians do not).</summary>
    public const string AccountReaders = nameof(AccountReaders);
}
