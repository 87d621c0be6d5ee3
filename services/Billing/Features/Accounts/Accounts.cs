using FluentValidation;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Msp.Billing.Domain;
using Msp.Billing.Features.Invoices;
using Msp.Billing.Persistence;
using Msp.Contracts.Tenants;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Identity;
using Msp.KnownParties;
using Msp.Messaging;
using Msp.Data;
using Msp.ServiceDefaults.Validation;

namespace Msp.Billing.Features.Accounts;

/// <param name="FeeTiming"><c>Arrears</c> or <c>Advance</c>; left out, the account keeps what it has (a new one: arrears).</param>
public sealed record AccountRequest(string? Currency, decimal? TaxRatePercent, string? BillingContact, int? PaymentTermsDays, FeeTiming? FeeTiming = null);

/// <param name="ZeroTax">The account's invoices carry no tax (the console flags it).</param>
public sealed record AccountResponse(
    Guid TenantId, string Currency, decimal TaxRatePercent, bool ZeroTax, string? BillingContact, int PaymentTermsDays, FeeTiming FeeTiming, DateTimeOffset UpdatedAt)
{
    public static AccountResponse From(BillingAccount a) =>
        new(a.TenantId, a.Currency, a.TaxRatePercent, a.ZeroTax, a.BillingContact, a.PaymentTermsDays, a.FeeTiming, a.UpdatedAt);
}

public sealed class AccountValidator : AbstractValidator<AccountRequest>
{
    public AccountValidator()
    {
        RuleFor(r => r.Currency).Must(Currencies.IsKnown).WithMessage("Currency is an ISO 4217 code the platform bills in, such as EUR, USD or GBP.");
        RuleFor(r => r.TaxRatePercent).NotNull().WithMessage("TaxRatePercent is required.")
            .InclusiveBetween(0, 100).WithMessage("TaxRatePercent is between 0 and 100.")
            .Must(r => r is null || decimal.Round(r.Value, 4) == r.Value).WithMessage("TaxRatePercent has at most 4 decimals.");
        RuleFor(r => r.BillingContact).MaximumLength(200).EmailAddress().WithMessage("BillingContact is an email address.");
        RuleFor(r => r.PaymentTermsDays).NotNull().WithMessage("PaymentTermsDays is required.")
            .InclusiveBetween(0, 365).WithMessage("PaymentTermsDays is between 0 and 365.");
        RuleFor(r => r.FeeTiming).IsInEnum().WithMessage("FeeTiming is Arrears or Advance.");
    }
}

/// <summary>Opens a billing account, with the provider's defaults, for every tenant created.</summary>
public sealed class BillingAccountConsumer(BillingDb db, IOptions<BillingDefaults> defaults, TimeProvider clock) : IConsumer<TenantCreated>
{
    public Task Consume(ConsumeContext<TenantCreated> context) =>
        db.ProcessOnceAsync(context.Message, "billing.accounts", async ct =>
        {
            var m = context.Message;
            if (!await db.Accounts.AnyAsync(a => a.TenantId == m.TenantId, ct))
            {
                db.Accounts.Add(BillingAccount.Open(m.TenantId, m.Country, defaults.Value, clock.GetUtcNow()));
            }
        }, context.CancellationToken);
}

/// <summary>A tenant's billing account: read by its ClientAdmin and by Operators and Admins, changed by the latter.</summary>
public static class Accounts
{
    public static RouteGroupBuilder MapAccounts(this RouteGroupBuilder group)
    {
        group.MapGet("/accounts/{tenantId:guid}", Get).RequireAuthorization(BillingPolicies.AccountReaders).WithName("GetBillingAccount");
        group.MapPut("/accounts/{tenantId:guid}", Put).RequireAuthorization(MspPolicies.Operators).Validate<AccountRequest>().WithName("SetBillingAccount");
        return group;
    }

    public static async Task<Results<Ok<AccountResponse>, NotFound>> Get(Guid tenantId, BillingDb db, HttpContext http, CancellationToken ct)
    {
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.TenantId == tenantId, ct);
        if (account is null)
        {
            return TypedResults.NotFound();
        }

        http.Response.Headers.ETag = Preconditions.ETag(account.RowVersion);
        return TypedResults.Ok(AccountResponse.From(account));
    }

    /// <summary>The tenant's account, tracked; opened with the defaults for a known tenant that has none yet (its
    /// creation has not reached Billing, or happened before Billing opened accounts). Null for an unknown tenant.</summary>
    public static async Task<BillingAccount?> EnsureAsync(BillingDb db, Guid tenantId, BillingDefaults defaults, DateTimeOffset now, CancellationToken ct)
    {
        if (await db.Accounts.FirstOrDefaultAsync(a => a.TenantId == tenantId, ct) is { } account)
        {
            return account;
        }

        if (await db.KnownTenants.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tenantId, ct) is not { } tenant)
        {
            return null;
        }

        account = BillingAccount.Open(tenantId, tenant.Country, defaults, now);
        db.Accounts.Add(account);
        return account;
    }

    /// <summary>Sets the account (opening it first for a known tenant that has none yet).
    /// Invoices already issued keep the currency and tax they were issued with; drafts take the change at the next run.</summary>
    public static async Task<Results<Ok<AccountResponse>, NotFound, ProblemHttpResult>> Put(
        Guid tenantId, AccountRequest request, BillingDb db, HttpContext http, IOptions<BillingDefaults> defaults, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (await EnsureAsync(db, tenantId, defaults.Value, now, ct) is not { } account)
        {
            return TypedResults.NotFound();
        }

        if (db.Entry(account).State != EntityState.Added
            && Preconditions.IfMatchFails(http, Preconditions.ETag(account.RowVersion), "billing account") is { } stale)
        {
            return stale;
        }

        account.Change(request.Currency!, request.TaxRatePercent!.Value, string.IsNullOrWhiteSpace(request.BillingContact) ? null : request.BillingContact.Trim(),
            request.PaymentTermsDays!.Value, request.FeeTiming ?? account.FeeTiming, now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || e.IsUniqueViolation("billing_accounts_pkey"))
        {
            return Problems.Conflict("tenantId", "The account changed at the same time; read it again and retry.");
        }

        http.Response.Headers.ETag = Preconditions.ETag(account.RowVersion);
        return TypedResults.Ok(AccountResponse.From(account));
    }
}
