using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Msp.Billing.Domain;
using Msp.Billing.Persistence;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Identity;
using Msp.KnownParties;
using Msp.Messaging;
using Msp.Data;
using Msp.ServiceDefaults.Validation;

namespace Msp.Billing.Features.Contracts;

/// <summary>A recurring fee: <c>PerUser</c>, <c>PerDevice</c> or <c>Flat</c>, its monthly price per unit, and the quantity
/// it starts with (1 for a flat fee).</summary>
public sealed record FeeRequest(string? Unit, decimal? MonthlyUnitPrice, decimal? Quantity);

public sealed record BlockRequest(DateOnly? PurchasedOn, decimal? Hours, decimal? Price, DateOnly? ExpiresOn);

public sealed record ContractRequest(
    Guid? TenantId, string? Name, ContractKind? Kind, DateOnly? StartsOn, DateOnly? EndsOn, Guid? SlaPolicyId, FeeRequest? Fee,
    List<BlockRequest>? Blocks, decimal? OverageRate, Dictionary<string, decimal>? Rates, decimal? DefaultRate, SlaCreditRule? SlaCredit);

public sealed record QuantityRequest(DateOnly? EffectiveFrom, decimal? Quantity);

public sealed record EndRequest(DateOnly? EndsOn);

public sealed record ContractResponse(
    Guid Id, Guid TenantId, string Name, ContractKind Kind, ContractStatus Status, DateOnly StartsOn, DateOnly? EndsOn, Guid? SlaPolicyId,
    RecurringFee? Fee, IReadOnlyList<HourBlock> Blocks, decimal? OverageRate, IReadOnlyDictionary<string, decimal> Rates, decimal? DefaultRate,
    SlaCreditRule? SlaCredit, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ContractResponse From(Contract c) => new(c.Id, c.TenantId, c.Name, c.Kind, c.Status, c.StartsOn, c.EndsOn, c.SlaPolicyId, c.Fee,
        c.Blocks, c.OverageRate, c.Rates, c.DefaultRate, c.SlaCredit, c.CreatedAt, c.UpdatedAt);
}

public sealed class ContractValidator : AbstractValidator<ContractRequest>
{
    public const decimal MaxAmount = 100_000_000m;
    public static readonly string[] Units = ["PerUser", "PerDevice", "Flat"];

    public ContractValidator()
    {
        RuleFor(r => r.TenantId).NotEmpty().WithMessage("TenantId is required.");
        RuleFor(r => r.Name).NotEmpty().WithMessage("Name is required.").MaximumLength(100).SingleLine();
        RuleFor(r => r.Kind).NotNull().WithMessage("Kind is ManagedServices, BlockHours or TimeAndMaterials.");
        RuleFor(r => r.StartsOn).NotNull().WithMessage("StartsOn is required.");
        RuleFor(r => r.EndsOn).Must((r, end) => end is null || r.StartsOn is null || end >= r.StartsOn).WithMessage("EndsOn is on or after StartsOn.");
        RuleFor(r => r.Fee).NotNull().When(r => r.Kind == ContractKind.ManagedServices).WithMessage("A managed-services contract has a recurring fee.");
        RuleFor(r => r.Fee!.Unit).Must(u => Units.Contains(u)).When(r => r.Fee is not null)
            .WithMessage($"Fee.Unit is one of {string.Join(", ", Units)}.").OverridePropertyName("fee.unit");
        RuleFor(r => r.Fee!.MonthlyUnitPrice).NotNull().InclusiveBetween(0, MaxAmount).When(r => r.Fee is not null)
            .WithMessage($"Fee.MonthlyUnitPrice is between 0 and {MaxAmount}.").OverridePropertyName("fee.monthlyUnitPrice");
        RuleFor(r => r.Fee!.Quantity).InclusiveBetween(0, 1_000_000).When(r => r.Fee is not null)
            .WithMessage("Fee.Quantity is between 0 and 1000000.").OverridePropertyName("fee.quantity");
        RuleFor(r => r.Blocks).Must(b => b is null || b.Count == 0).When(r => r.Kind != ContractKind.BlockHours)
            .WithMessage("Only a block-hours contract has blocks of hours.");
        RuleForEach(r => r.Blocks).NotNull().WithMessage("A block cannot be null.").SetValidator(new BlockValidator());
        RuleForEach(r => r.Blocks)
            .Must((r, b) => b?.PurchasedOn is null || r.StartsOn is null || (b.PurchasedOn >= r.StartsOn && (r.EndsOn is null || b.PurchasedOn <= r.EndsOn)))
            .WithMessage("A block is bought while the contract runs.");
        RuleFor(r => r.OverageRate).NotNull().When(r => r.Kind == ContractKind.BlockHours).WithMessage("A block-hours contract has an overage rate.")
            .InclusiveBetween(0, MaxAmount).WithMessage($"OverageRate is between 0 and {MaxAmount}.");
        RuleFor(r => r.DefaultRate).NotNull().When(r => r.Kind == ContractKind.TimeAndMaterials).WithMessage("A time-and-materials contract has a default rate.")
            .InclusiveBetween(0, MaxAmount).WithMessage($"DefaultRate is between 0 and {MaxAmount}.");
        RuleFor(r => r.Rates).Must(r => r is null || r.All(x => !string.IsNullOrWhiteSpace(x.Key) && x.Key.Length <= 50 && x.Value >= 0 && x.Value <= MaxAmount))
            .WithMessage($"Rates map work types (up to 50 characters) to hourly rates between 0 and {MaxAmount}.");
        RuleFor(r => r.SlaCredit!.PercentPerBreach).InclusiveBetween(0.01m, 100).When(r => r.SlaCredit is not null)
            .WithMessage("SlaCredit.PercentPerBreach is between 0.01 and 100.").OverridePropertyName("slaCredit.percentPerBreach");
        RuleFor(r => r.SlaCredit!.CapPercent).Must((r, cap) => cap >= r.SlaCredit!.PercentPerBreach && cap <= 100).When(r => r.SlaCredit is not null)
            .WithMessage("SlaCredit.CapPercent is between PercentPerBreach and 100.").OverridePropertyName("slaCredit.capPercent");
    }
}

public sealed class BlockValidator : AbstractValidator<BlockRequest>
{
    public BlockValidator()
    {
        RuleFor(b => b.PurchasedOn).NotNull().WithMessage("PurchasedOn is required.");
        RuleFor(b => b.Hours).NotNull().WithMessage("Hours is required.").GreaterThan(0).LessThanOrEqualTo(100_000)
            .WithMessage("Hours is more than 0 and at most 100000.").Must(h => h is null || h * 60 == decimal.Truncate(h.Value * 60)).WithMessage("Hours is a whole number of minutes.");
        RuleFor(b => b.Price).NotNull().WithMessage("Price is required.").InclusiveBetween(0, ContractValidator.MaxAmount)
            .WithMessage($"Price is between 0 and {ContractValidator.MaxAmount}.");
        RuleFor(b => b.ExpiresOn).Must((b, e) => e is null || b.PurchasedOn is null || e >= b.PurchasedOn).WithMessage("ExpiresOn is on or after PurchasedOn.");
    }
}

public sealed class QuantityValidator : AbstractValidator<QuantityRequest>
{
    public QuantityValidator()
    {
        RuleFor(q => q.EffectiveFrom).NotNull().WithMessage("EffectiveFrom is required.");
        RuleFor(q => q.Quantity).NotNull().WithMessage("Quantity is required.").InclusiveBetween(0, 1_000_000).WithMessage("Quantity is between 0 and 1000000.");
    }
}

public sealed class EndValidator : AbstractValidator<EndRequest>
{
    public EndValidator() => RuleFor(e => e.EndsOn).NotNull().WithMessage("EndsOn is required: the contract's last day.");
}

/// <summary>Tenants' contracts (Operators and Admins). Activating and ending one is announced, so that Slas puts the
/// tenant on the SLA policy it sells.</summary>
public static class Contracts
{
    public static RouteGroupBuilder MapContracts(this RouteGroupBuilder group)
    {
        var contracts = group.MapGroup("/contracts").RequireAuthorization(MspPolicies.Operators);
        contracts.MapPost("/", Create).Validate<ContractRequest>().WithName("CreateContract");
        contracts.MapGet("/", List).WithName("ListContracts");
        contracts.MapGet("/{id:guid}", Get).WithName("GetContract");
        contracts.MapPost("/{id:guid}/quantities", ChangeQuantity).Validate<QuantityRequest>().WithName("ChangeContractQuantity");
        contracts.MapPost("/{id:guid}/blocks", BuyBlock).Validate<BlockRequest>().WithName("BuyContractBlock");
        contracts.MapPost("/{id:guid}/end", End).Validate<EndRequest>().WithName("EndContract");
        return group;
    }

    /// <summary>Activates a contract; a tenant without a billing account yet gets one, so that invoice runs bill it. The
    /// SLA policy it names must be one the Slas service announced (decision 0071).</summary>
    public static async Task<Results<Created<ContractResponse>, NotFound, ValidationProblem>> Create(
        ContractRequest r, BillingDb db, IOptions<BillingDefaults> defaults, TimeProvider clock, CancellationToken ct)
    {
        if (r.SlaPolicyId is { } policyId && !await db.SlaPolicies.AnyAsync(p => p.Id == policyId && !p.Deleted, ct))
        {
            return Problems.Invalid("slaPolicyId", "No SLA policy has this id. GET /api/slas/policies lists them.");
        }

        for (var attempt = 1; ; attempt++)
        {
            if (await Accounts.Accounts.EnsureAsync(db, r.TenantId!.Value, defaults.Value, clock.GetUtcNow(), ct) is null)
            {
                return TypedResults.NotFound();
            }

            var fee = r.Fee is { } f
                ? new RecurringFee(f.Unit!, f.MonthlyUnitPrice!.Value, [new QuantityChange(r.StartsOn!.Value, f.Unit == "Flat" ? f.Quantity ?? 1 : f.Quantity ?? 0)])
                : null;
            var (contract, activated) = Contract.Activate(r.TenantId!.Value, r.Name!.Trim(), r.Kind!.Value, r.StartsOn!.Value, r.EndsOn, r.SlaPolicyId, fee,
                (r.Blocks ?? []).Select(b => new HourBlock(Guid.CreateVersion7(), b.PurchasedOn!.Value, b.Hours!.Value, b.Price!.Value, b.ExpiresOn)),
                r.OverageRate, r.Rates, r.DefaultRate, r.SlaCredit, clock.GetUtcNow());
            db.Contracts.Add(contract);
            db.PublishOnSave(activated);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (attempt == 1 && e.IsUniqueViolation("billing_accounts_pkey"))
            {
                // Another request opened the tenant's account at the same moment: use that one.
                db.ChangeTracker.Clear();
                continue;
            }

            return TypedResults.Created($"/api/billing/contracts/{contract.Id}", ContractResponse.From(contract));
        }
    }

    public static async Task<Results<Ok<Page<ContractResponse>>, ValidationProblem>> List(
        Guid? tenantId, ContractStatus? status, int? limit, string? cursor, BillingDb db, CancellationToken ct)
    {
        if (!Paging.TryRead<Guid?>(limit, cursor, out var take, out var after, out var problem))
        {
            return problem!;
        }

        var rows = await db.Contracts.AsNoTracking()
            .Where(c => tenantId == null || c.TenantId == tenantId)
            .Where(c => status == null || c.Status == status)
            .Where(c => after == null || c.Id.CompareTo(after.Value) > 0)
            .OrderBy(c => c.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(ContractResponse.From).ToList().ToPage(take, c => (Guid?)c.Id));
    }

    public static async Task<Results<Ok<ContractResponse>, NotFound>> Get(Guid id, BillingDb db, HttpContext http, CancellationToken ct)
    {
        if (await db.Contracts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) is not { } contract)
        {
            return TypedResults.NotFound();
        }

        http.Response.Headers.ETag = Preconditions.ETag(contract.RowVersion);
        return TypedResults.Ok(ContractResponse.From(contract));
    }

    /// <summary>A new quantity of the recurring fee from a date on; the invoices from that date prorate it by days.</summary>
    public static Task<Results<Ok<ContractResponse>, NotFound, ProblemHttpResult, ValidationProblem>> ChangeQuantity(
        Guid id, QuantityRequest r, BillingDb db, HttpContext http, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync(id, db, http, ct, c => c.ChangeQuantity(r.EffectiveFrom!.Value, r.Quantity!.Value, clock.GetUtcNow()), "effectiveFrom");

    /// <summary>Buys a block of hours; it is billed on the invoice of the month it is bought in, and arms the
    /// <c>BlockHoursLow</c> thresholds again.</summary>
    public static Task<Results<Ok<ContractResponse>, NotFound, ProblemHttpResult, ValidationProblem>> BuyBlock(
        Guid id, BlockRequest r, BillingDb db, HttpContext http, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync(id, db, http, ct, c => c.BuyBlock(r.PurchasedOn!.Value, r.Hours!.Value, r.Price!.Value, r.ExpiresOn, clock.GetUtcNow()).Error, "purchasedOn");

    /// <summary>Ends the contract on the given day (its last), and announces it.</summary>
    public static Task<Results<Ok<ContractResponse>, NotFound, ProblemHttpResult, ValidationProblem>> End(
        Guid id, EndRequest r, BillingDb db, HttpContext http, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync(id, db, http, ct, c =>
        {
            var (ended, error) = c.End(r.EndsOn!.Value, clock.GetUtcNow());
            if (ended is not null)
            {
                db.PublishOnSave(ended);
            }

            return error;
        }, "endsOn");

    private static async Task<Results<Ok<ContractResponse>, NotFound, ProblemHttpResult, ValidationProblem>> ChangeAsync(
        Guid id, BillingDb db, HttpContext http, CancellationToken ct, Func<Contract, string?> change, string field)
    {
        if (await db.Contracts.FirstOrDefaultAsync(c => c.Id == id, ct) is not { } contract)
        {
            return TypedResults.NotFound();
        }

        if (Preconditions.IfMatchFails(http, Preconditions.ETag(contract.RowVersion), "contract") is { } stale)
        {
            return stale;
        }

        if (contract.Closed is { } closed)
        {
            return Problems.Conflict("status", closed);
        }

        if (change(contract) is { } error)
        {
            return Problems.Invalid(field, error);
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("id", "The contract changed at the same time; read it again and retry.");
        }

        http.Response.Headers.ETag = Preconditions.ETag(contract.RowVersion);
        return TypedResults.Ok(ContractResponse.From(contract));
    }
}
