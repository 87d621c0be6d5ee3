using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Identity;
using Msp.KnownParties;
using Msp.Slas.Domain;
using Msp.Slas.Persistence;

namespace Msp.Slas.Features.TenantSettings;

public sealed record TenantSlaRequest(Guid? PolicyId, Guid? CalendarId);

/// <summary>The policy a tenant is on (the default when it names none) and the calendar its business hours follow.</summary>
public sealed record TenantSlaResponse(Guid TenantId, Guid PolicyId, string PolicyName, bool UsesDefaultPolicy, Guid CalendarId, string CalendarName, bool UsesOwnCalendar, string Source);

public static class TenantSettings
{
    public static RouteGroupBuilder MapTenantSettings(this RouteGroupBuilder group)
    {
        group.MapGet("/tenants/{tenantId:guid}", Get).RequireAuthorization(MspPolicies.Overseers).WithName("GetTenantSla");
        group.MapPut("/tenants/{tenantId:guid}", Put).RequireAuthorization(MspPolicies.Operators).WithName("SetTenantSla");
        return group;
    }

    public static async Task<Results<Ok<TenantSlaResponse>, NotFound>> Get(Guid tenantId, SlasDb db, CancellationToken ct)
    {
        if (!await db.KnownTenants.AnyAsync(t => t.Id == tenantId, ct))
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(await DescribeAsync(db, tenantId, ct));
    }

    public static async Task<Results<Ok<TenantSlaResponse>, NotFound, ValidationProblem>> Put(
        Guid tenantId, TenantSlaRequest request, SlasDb db, TimeProvider clock, CancellationToken ct)
    {
        if (!await db.KnownTenants.AnyAsync(t => t.Id == tenantId, ct))
        {
            return TypedResults.NotFound();
        }

        if (request.PolicyId is { } policyId && !await db.Policies.AnyAsync(p => p.Id == policyId, ct))
        {
            return Problems.Invalid("policyId", "No policy has this id.");
        }

        if (request.CalendarId is { } calendarId && !await db.Calendars.AnyAsync(c => c.Id == calendarId, ct))
        {
            return Problems.Invalid("calendarId", "No calendar has this id.");
        }

        // The tenant's row is made if missing and then changed under its lock, so that puts for a tenant without settings
        // take turns instead of racing to insert it. A put that changes nothing writes nothing: the endpoint is idempotent.
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO tenant_sla_settings (tenant_id, source, updated_at) VALUES ({tenantId}, 'Default', {now}) ON CONFLICT (tenant_id) DO NOTHING", ct);
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM tenant_sla_settings WHERE tenant_id = {tenantId} FOR UPDATE", ct);
        var setting = await db.TenantSettings.SingleAsync(s => s.TenantId == tenantId, ct);
        if (setting.PolicyId != request.PolicyId || setting.CalendarId != request.CalendarId || setting.Source != "Operator")
        {
            setting.Set(request.PolicyId, request.CalendarId, "Operator", now);
            await db.SaveChangesAsync(ct);
        }

        await tx.CommitAsync(ct);
        return TypedResults.Ok(await DescribeAsync(db, tenantId, ct));
    }

    private static async Task<TenantSlaResponse> DescribeAsync(SlasDb db, Guid tenantId, CancellationToken ct)
    {
        var setting = await db.TenantSettings.AsNoTracking().FirstOrDefaultAsync(s => s.TenantId == tenantId, ct);
        var policy = setting?.PolicyId is { } policyId
            ? await db.Policies.AsNoTracking().FirstAsync(p => p.Id == policyId, ct)
            : await db.Policies.AsNoTracking().FirstAsync(p => p.IsDefault, ct);
        var calendarId = setting?.CalendarId ?? policy.CalendarId;
        var calendar = await db.Calendars.AsNoTracking().FirstAsync(c => c.Id == calendarId, ct);
        return new TenantSlaResponse(tenantId, policy.Id, policy.Name, setting?.PolicyId is null, calendar.Id, calendar.Name,
            setting?.CalendarId is not null, setting?.Source ?? "Default");
    }
}
