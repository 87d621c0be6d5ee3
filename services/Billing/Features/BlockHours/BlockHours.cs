using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.Billing.Domain;
using Msp.Billing.Features.Invoices;
using Msp.Billing.Persistence;
using Msp.Contracts;
using Msp.Contracts.Billing;
using Msp.Messaging;

namespace Msp.Billing.Features.BlockHours;

public sealed record BlockHoursResponse(Guid TenantId, IReadOnlyList<BlockHoursBalance> Contracts);

/// <summary>The prepaid hours of a tenant's block-hours contracts, and the <c>BlockHoursLow</c> warnings.</summary>
public static class BlockHours
{
    public static RouteGroupBuilder MapBlockHours(this RouteGroupBuilder group)
    {
        group.MapGet("/tenants/{tenantId:guid}/block-hours", Get).RequireAuthorization(BillingPolicies.AccountReaders).WithName("GetBlockHours");
        return group;
    }

    public static async Task<Results<Ok<BlockHoursResponse>, NotFound>> Get(Guid tenantId, BillingDb db, TimeProvider clock, CancellationToken ct)
    {
        if (!await db.KnownTenants.AnyAsync(t => t.Id == tenantId, ct))
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(new BlockHoursResponse(tenantId, await BalancesAsync(db, tenantId, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), ct)));
    }

    /// <summary>The balance of each block-hours contract of the tenant: hours drawn on issued invoices, plus the time
    /// not invoiced yet drawn the way the next invoices will draw it.</summary>
    public static async Task<List<BlockHoursBalance>> BalancesAsync(BillingDb db, Guid tenantId, DateOnly today, CancellationToken ct)
    {
        var contracts = await db.Contracts.AsNoTracking().Where(c => c.TenantId == tenantId).OrderBy(c => c.StartsOn).ThenBy(c => c.Id).ToListAsync(ct);
        if (!contracts.Any(c => c.Kind == ContractKind.BlockHours))
        {
            return [];
        }

        // Time worked before the first block-hours contract began can never draw on a block.
        var from = contracts.Where(c => c.Kind == ContractKind.BlockHours).Min(c => c.StartsOn);
        var time = await db.Usage.AsNoTracking().Where(u => u.TenantId == tenantId && u.WorkDate >= from).ToListAsync(ct);
        var ids = time.Select(t => t.TimeEntryId).ToArray();
        var billed = await InvoiceInputs.BilledOnIssued(db, tenantId).Where(b => ids.Contains(b.TimeEntryId)).ToListAsync(ct);
        var invoiced = await InvoiceInputs.DrawnAsync(db, tenantId, ct);
        var used = InvoiceCalculation.DrawnWithPending(contracts, [.. time.Select(InvoiceInputs.ToBill)], [.. billed.Select(b => b.ToAllocation())], invoiced);
        return [.. contracts.Where(c => c.Kind == ContractKind.BlockHours).Select(c => BlockHoursBalance.Of(c, invoiced, used, today))];
    }

    /// <summary>Publishes, with the unit of work, a <c>BlockHoursLow</c> for each threshold the tenant's contracts have
    /// reached and not been warned of for the hours bought.</summary>
    public static async Task WarnAsync(BillingDb db, Guid tenantId, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var balance in await BalancesAsync(db, tenantId, DateOnly.FromDateTime(now.UtcDateTime), ct))
        {
            foreach (var threshold in balance.ThresholdsReached)
            {
                if (await db.BlockAlerts.AnyAsync(a => a.ContractId == balance.ContractId && a.ThresholdPercent == threshold && a.HoursBought == balance.HoursBought, ct))
                {
                    continue;
                }

                db.BlockAlerts.Add(new BlockAlert(balance.ContractId, threshold, balance.HoursBought, tenantId, now));
                db.PublishOnSave(new BlockHoursLow
                {
                    EventId = EventIds.New(), TenantId = tenantId, OccurredAt = now, ContractId = balance.ContractId, ThresholdPercent = threshold,
                    HoursBought = balance.HoursBought, HoursUsed = balance.HoursUsed, HoursLeft = balance.HoursLeft,
                });
            }
        }
    }
}
