using System.Text.Json.Serialization;
using Msp.Contracts;
using Msp.Contracts.Billing;

namespace Msp.Billing.Domain;

[JsonConverter(typeof(JsonStringEnumConverter<InvoiceKind>))]
public enum InvoiceKind
{
    Invoice,

    /// <summary>Issued when an invoice is voided: its lines negated, so the two sum to nothing.</summary>
    CreditNote,
}

[JsonConverter(typeof(JsonStringEnumConverter<InvoiceStatus>))]
public enum InvoiceStatus
{
    /// <summary>Computed by a run; the next run of the period computes it again.</summary>
    Draft,

    /// <summary>Numbered and never changed again.</summary>
    Issued,
    Paid,

    /// <summary>Cancelled by a credit note; the period can be invoiced again.</summary>
    Void,
}

/// <summary>An invoice of one tenant for one month, or a credit note voiding one. A draft follows its period's usage at
/// every run; once issued, it has a gapless number and its lines and amounts never change.</summary>
public sealed class Invoice
{
    private Invoice()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    /// <summary><c>YYYY-MM</c>.</summary>
    public string Period { get; private set; } = "";

    public InvoiceKind Kind { get; private set; }

    public InvoiceStatus Status { get; private set; }

    public string? Number { get; private set; }

    public string Currency { get; private set; } = "";

    /// <summary>The month whose time the invoice bills (<c>YYYY-MM</c>): the period, or the month before when the account
    /// pays in advance. Null on invoices from before fee timing (their period).</summary>
    public string? TimePeriod { get; private set; }

    public decimal TaxRatePercent { get; private set; }

    public decimal Subtotal { get; private set; }

    public decimal Tax { get; private set; }

    public decimal Total { get; private set; }

    public List<InvoiceLine> Lines { get; private set; } = [];

    /// <summary>For a credit note, the invoice it voids.</summary>
    public Guid? Voids { get; private set; }

    /// <summary>For a voided invoice, its credit note.</summary>
    public Guid? VoidedBy { get; private set; }

    public DateTimeOffset? IssuedAt { get; private set; }

    public DateOnly? DueOn { get; private set; }

    public DateTimeOffset? PaidAt { get; private set; }

    public DateTimeOffset? VoidedAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public uint RowVersion { get; private set; }

    public static Invoice Draft(Guid tenantId, BillingPeriod period, InvoiceComputation computed, DateTimeOffset now)
    {
        var invoice = new Invoice
        {
            Id = Guid.CreateVersion7(), TenantId = tenantId, Period = period.ToString(), Kind = InvoiceKind.Invoice, Status = InvoiceStatus.Draft,
            CreatedAt = now,
        };
        invoice.Refresh(computed, now);
        return invoice;
    }

    /// <summary>Takes the period's figures as computed now; answers whether anything changed. Only a draft changes.</summary>
    public bool Refresh(InvoiceComputation computed, DateTimeOffset now)
    {
        if (Status != InvoiceStatus.Draft)
        {
            throw new InvalidOperationException($"Invoice {Number} is {Status}; only a draft changes.");
        }

        if (Matches(computed))
        {
            return false;
        }

        (Currency, TaxRatePercent, Lines, Subtotal, Tax, Total, TimePeriod, UpdatedAt) =
            (computed.Currency, computed.TaxRatePercent, [.. computed.Lines], computed.Subtotal, computed.Tax, computed.Total, computed.TimePeriod, now);
        return true;
    }

    public bool Matches(InvoiceComputation computed) =>
        Currency == computed.Currency && TaxRatePercent == computed.TaxRatePercent && Total == computed.Total && Tax == computed.Tax
        && TimePeriod == computed.TimePeriod
        && Lines.SequenceEqual(computed.Lines);

    /// <summary>Why the invoice cannot be issued, or null when it can.</summary>
    public string? CannotIssue => Status == InvoiceStatus.Draft ? null : $"The invoice is {Status}; only a draft is issued.";

    /// <summary>Issues the draft under <paramref name="number"/>, due after the account's payment terms.</summary>
    public InvoiceIssued Issue(string number, int paymentTermsDays, DateTimeOffset now)
    {
        if (CannotIssue is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        (Status, Number, IssuedAt, DueOn, UpdatedAt) =
            (InvoiceStatus.Issued, number, now, DateOnly.FromDateTime(now.UtcDateTime).AddDays(paymentTermsDays), now);
        return Announcement();
    }

    public string? CannotMarkPaid => Status == InvoiceStatus.Issued && Kind == InvoiceKind.Invoice
        ? null
        : $"Only an issued invoice is marked paid; this {(Kind == InvoiceKind.CreditNote ? "credit note" : "invoice")} is {Status}.";

    public void MarkPaid(DateTimeOffset now)
    {
        if (CannotMarkPaid is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        (Status, PaidAt, UpdatedAt) = (InvoiceStatus.Paid, now, now);
    }

    public string? CannotVoid => Status == InvoiceStatus.Issued && Kind == InvoiceKind.Invoice
        ? null
        : Status == InvoiceStatus.Paid
            ? "The invoice is paid; refund it before voiding it."
            : $"Only an issued invoice is voided; this {(Kind == InvoiceKind.CreditNote ? "credit note" : "invoice")} is {Status}.";

    /// <summary>Voids the invoice and issues, under <paramref name="number"/>, the credit note that cancels it.</summary>
    public (Invoice CreditNote, InvoiceIssued Issued) Void(string number, DateTimeOffset now)
    {
        if (CannotVoid is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        var note = new Invoice
        {
            Id = Guid.CreateVersion7(), TenantId = TenantId, Period = Period, Kind = InvoiceKind.CreditNote, Status = InvoiceStatus.Issued,
            Number = number, Currency = Currency, TaxRatePercent = TaxRatePercent, TimePeriod = TimePeriod,
            Lines = [.. Lines.Select(l => l with { Description = $"Voids {Number}: {l.Description}", Quantity = -l.Quantity, Amount = -l.Amount, Minutes = -l.Minutes, Units = -l.Units })],
            Subtotal = -Subtotal, Tax = -Tax, Total = -Total, Voids = Id, IssuedAt = now, DueOn = DateOnly.FromDateTime(now.UtcDateTime),
            CreatedAt = now, UpdatedAt = now,
        };
        (Status, VoidedBy, VoidedAt, UpdatedAt) = (InvoiceStatus.Void, note.Id, now, now);
        return (note, note.Announcement());
    }

    private InvoiceIssued Announcement() => new()
    {
        EventId = EventIds.New(), TenantId = TenantId, OccurredAt = IssuedAt!.Value, InvoiceId = Id, Number = Number!, Kind = Kind.ToString(),
        Period = Period, Currency = Currency, Total = Total, DueOn = DueOn!.Value, Voids = Voids,
    };
}

/// <summary>Minutes of one time entry billed on one invoice: under which contract, from which block (none for overage or
/// hourly time), at which hourly rate. What issued invoices hold of an entry is what it has been billed; a later change
/// of the entry is billed as the difference.</summary>
public sealed class BilledTime
{
    private BilledTime()
    {
    }

    public Guid InvoiceId { get; private set; }

    public int Seq { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid TimeEntryId { get; private set; }

    public Guid? ContractId { get; private set; }

    public Guid? BlockId { get; private set; }

    public int Minutes { get; private set; }

    public decimal HourlyRate { get; private set; }

    public static BilledTime On(Invoice invoice, int seq, Allocation a) => new()
    {
        InvoiceId = invoice.Id, Seq = seq, TenantId = invoice.TenantId, TimeEntryId = a.EntryId, ContractId = a.ContractId, BlockId = a.BlockId,
        Minutes = a.Minutes, HourlyRate = a.HourlyRate,
    };

    public Allocation ToAllocation() => new(TimeEntryId, ContractId, BlockId, Minutes, HourlyRate);
}
