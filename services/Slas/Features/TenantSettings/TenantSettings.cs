using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Identity;
using Msp.Data;
using Msp.KnownParties;
using Msp.Slas.Domain;
using Msp.Slas.Persistence;

namespace Msp.Slas.Features.TenantSettings;

public sealed record TenantSlaRequest(Guid? PolicyId, Guid? CalendarId);

/// <summary>The policy a tenant is on (the default when it names none) and the calendar its business hours follow.</summary>
public sealed record TenantSlaResponse(Guid TenantId, Guid PolicyId, string PolicyName, bool UsesDefaultPolicy, Guid CalendarId, string CalendarName, bool UsesOwnCalendar, string Source);

/// <summary>A client and the SLA it is on, as the console lists the clients of a policy or a calendar.</summary>
public sealed record TenantSlaRow(Guid TenantId, string TenantName, Guid PolicyId, string PolicyName, bool UsesDefaultPolicy, Guid CalendarId, string CalendarName, bool UsesOwnCalendar);

/// <summary>How many clients each policy and each calendar serves (the default policy counts the clients that name none;
/// a policy's calendar counts its clients that name no calendar of their own).</summary>
public sealed record SlaUsage(IReadOnlyList<SlaUse> Policies, IReadOnlyList<SlaUse> Calendars);

public sealed record SlaUse(Guid Id, int Clients);

public static class TenantSettings
{
    public static RouteGroupBuilder MapTenantSettings(this RouteGroupBuilder group)
    {
        group.MapGet("/tenants", List).RequireAuthorization(MspPolicies.Operators).WithName("ListTenantSlas");
        group.MapGet("/usage", Usage).RequireAuthorization(MspPolicies.Operators).WithName("GetSlaUsage");
        group.MapGet("/tenants/{tenantId:guid}", Get).RequireAuthorization(MspPolicies.Overseers).WithName("GetTenantSla");
        group.MapPut("/tenants/{tenantId:guid}", Put).RequireAuthorization(MspPolicies.Operators).WithName("SetTenantSla");
        return group;
    }

    /// <summary>The clients and the SLA each is on, optionally only those on a policy or a calendar, by tenant id. The
    /// ids are read as text so that one that is not a GUID is refused with a problem naming it, not the framework's bare 400.</summary>
    public static async Task<Results<Ok<Page<TenantSlaRow>>, ValidationProblem>> List(
        string? policyId, string? calendarId, int? limit, string? cursor, SlasDb db, CancellationToken ct)
    {
        if (!Paging.TryRead<Guid?>(limit, cursor, out var take, out var after, out var problem))
        {
            return problem!;
        }

        if (!TryReadId(policyId, out var policy))
        {
            return Problems.Invalid("policyId", "PolicyId is a policy's id, a GUID.");
        }

        if (!TryReadId(calendarId, out var calendar))
        {
            return Problems.Invalid("calendarId", "CalendarId is a calendar's id, a GUID.");
        }

        var rows = await Effective(db, await DefaultPolicyAsync(db, ct))
            .Where(r => (policy == null || r.PolicyId == policy) && (calendar == null || r.CalendarId == calendar))
            .Where(r => after == null || r.TenantId.CompareTo(after.Value) > 0)
            .OrderBy(r => r.TenantId).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(r => r.ToRow()).ToList().ToPage(take, r => (Guid?)r.TenantId));
    }

    /// <summary>An optional id of the query: absent or empty is none; anything else must be a GUID.</summary>
    private static bool TryReadId(string? text, out Guid? id)
    {
        id = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (Guid.TryParse(text, out var parsed))
        {
            id = parsed;
            return true;
        }

        return false;
    }

    public static async Task<Ok<SlaUsage>> Usage(SlasDb db, CancellationToken ct)
    {
        var rows = Effective(db, await DefaultPolicyAsync(db, ct));
        var policies = await rows.GroupBy(r => r.PolicyId).Select(g => new SlaUse(g.Key, g.Count())).ToListAsync(ct);
        var calendars = await rows.GroupBy(r => r.CalendarId).Select(g => new SlaUse(g.Key, g.Count())).ToListAsync(ct);
        return TypedResults.Ok(new SlaUsage(policies, calendars));
    }

    private static Task<Guid> DefaultPolicyAsync(SlasDb db, CancellationToken ct) =>
        db.Policies.Where(p => p.IsDefault).Select(p => p.Id).FirstAsync(ct);

    /// <summary>Every known client with the policy and calendar in force: its own choice, else the default policy and
    /// the policy's calendar (the same rule as <see cref="DescribeAsync"/>, for many clients in one query).</summary>
    private static IQueryable<EffectiveSla> Effective(SlasDb db, Guid defaultPolicyId) =>
        from t in db.KnownTenants.AsNoTracking()
        join s in db.TenantSettings.AsNoTracking() on t.Id equals s.TenantId into settings
        from s in settings.DefaultIfEmpty()
        join p in db.Policies.AsNoTracking() on (s != null && s.PolicyId != null ? s.PolicyId.Value : defaultPolicyId) equals p.Id
        join c in db.Calendars.AsNoTracking() on (s != null && s.CalendarId != null ? s.CalendarId.Value : p.CalendarId) equals c.Id
        select new EffectiveSla
        {
            TenantId = t.Id, TenantName = t.Name, PolicyId = p.Id, PolicyName = p.Name, UsesDefaultPolicy = s == null || s.PolicyId == null,
            CalendarId = c.Id, CalendarName = c.Name, UsesOwnCalendar = s != null && s.CalendarId != null,
        };

    private sealed class EffectiveSla
    {
        public Guid TenantId { get; init; }

        public string TenantName { get; init; } = "";

        public Guid PolicyId { get; init; }

        public string PolicyName { get; init; } = "";

        public bool UsesDefaultPolicy { get; init; }

        public Guid CalendarId { get; init; }

        public string CalendarName { get; init; } = "";

        public bool UsesOwnCalendar { get; init; }

        public TenantSlaRow ToRow() => new(TenantId, TenantName, PolicyId, PolicyName, UsesDefaultPolicy, CalendarId, CalendarName, UsesOwnCalendar);
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
