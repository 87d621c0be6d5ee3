namespace Msp.Web.Api;

public sealed record TenantSla(Guid TenantId, Guid PolicyId, string PolicyName, bool UsesDefaultPolicy, Guid CalendarId, string CalendarName, bool UsesOwnCalendar, string Source);

/// <summary>A client and the SLA in force for it, as the SLA pages list the clients of a policy or a calendar.</summary>
public sealed record TenantSlaRow(Guid TenantId, string TenantName, Guid PolicyId, string PolicyName, bool UsesDefaultPolicy, Guid CalendarId, string CalendarName, bool UsesOwnCalendar);

public sealed record SlaUse(Guid Id, int Clients);

public sealed record SlaUsage(IReadOnlyList<SlaUse> Policies, IReadOnlyList<SlaUse> Calendars)
{
    public int OfPolicy(Guid id) => Policies.FirstOrDefault(u => u.Id == id)?.Clients ?? 0;

    public int OfCalendar(Guid id) => Calendars.FirstOrDefault(u => u.Id == id)?.Clients ?? 0;
}

public sealed record SlaHours(string Day, string Start, string End);

public sealed record SlaHoliday(string Date, string Name, bool Recurring);

public sealed record SlaCalendar(Guid Id, string Name, string TimeZone, bool AlwaysOpen, IReadOnlyList<SlaHours> Hours, IReadOnlyList<SlaHoliday> Holidays);

public sealed record SlaCalendarDetails(string Name, string TimeZone, bool AlwaysOpen, IReadOnlyList<SlaHours> Hours, IReadOnlyList<SlaHoliday> Holidays);

public sealed record SlaTarget(string Priority, int FirstResponseMinutes, int ResolutionMinutes, bool AroundTheClock);

public sealed record SlaPolicy(Guid Id, string Name, Guid CalendarId, int WarningPercent, bool IsDefault, IReadOnlyList<SlaTarget> Targets);

public sealed record SlaPolicyDetails(string Name, Guid? CalendarId, int? WarningPercent, bool IsDefault, IReadOnlyList<SlaTarget> Targets);

/// <summary>The console's calls to Slas: calendars, policies, and which clients are on them.</summary>
public sealed partial class SlasApi
{
    public Task<TenantSla> TenantSlaAsync(Guid tenantId, CancellationToken ct) =>
        GetAsync<TenantSla>($"/api/slas/tenants/{tenantId}", "The client's SLA", ct);

    /// <summary>Puts a client on a policy (null: the default) and a calendar (null: the policy's own).</summary>
    public Task<TenantSla> SetTenantSlaAsync(Guid tenantId, Guid? policyId, Guid? calendarId, CancellationToken ct) =>
        SendAsync<TenantSla>(HttpMethod.Put, $"/api/slas/tenants/{tenantId}", new { policyId, calendarId }, "The client's SLA", ct);

    public Task<SlaUsage> UsageAsync(CancellationToken ct) => GetAsync<SlaUsage>("/api/slas/usage", "SLA usage", ct);

    /// <summary>The clients on a policy or a calendar (every page of them).</summary>
    public Task<List<TenantSlaRow>> ClientsOnAsync(Guid? policyId, Guid? calendarId, CancellationToken ct) =>
        AllPagesAsync<TenantSlaRow>(cursor => Query("/api/slas/tenants", ("policyId", policyId?.ToString()), ("calendarId", calendarId?.ToString()), ("limit", "200"), ("cursor", cursor)), "Clients on an SLA", ct);

    public Task<List<SlaCalendar>> CalendarsAsync(CancellationToken ct) =>
        AllPagesAsync<SlaCalendar>(cursor => Query("/api/slas/calendars", ("limit", "200"), ("cursor", cursor)), "Calendars", ct);

    public Task<SlaCalendar> CalendarAsync(Guid id, CancellationToken ct) => GetAsync<SlaCalendar>($"/api/slas/calendars/{id}", "The calendar", ct);

    public Task<(SlaCalendar Value, string? ETag)> CalendarVersionAsync(Guid id, CancellationToken ct) =>
        GetVersionedAsync<SlaCalendar>($"/api/slas/calendars/{id}", "The calendar", ct);

    public Task<SlaCalendar> SaveCalendarAsync(Guid? id, SlaCalendarDetails details, string? etag, CancellationToken ct) => id is { } existing
        ? SendAsync<SlaCalendar>(HttpMethod.Put, $"/api/slas/calendars/{existing}", details, "The calendar", ct, ifMatch: etag)
        : SendAsync<SlaCalendar>(HttpMethod.Post, "/api/slas/calendars", details, "The calendar", ct);

    public Task DeleteCalendarAsync(Guid id, CancellationToken ct) => SendAsync(HttpMethod.Delete, $"/api/slas/calendars/{id}", null, "The calendar", ct);

    public Task<List<SlaPolicy>> PoliciesAsync(CancellationToken ct) =>
        AllPagesAsync<SlaPolicy>(cursor => Query("/api/slas/policies", ("limit", "200"), ("cursor", cursor)), "SLA policies", ct);

    public Task<SlaPolicy> PolicyAsync(Guid id, CancellationToken ct) => GetAsync<SlaPolicy>($"/api/slas/policies/{id}", "The SLA policy", ct);

    public Task<(SlaPolicy Value, string? ETag)> PolicyVersionAsync(Guid id, CancellationToken ct) =>
        GetVersionedAsync<SlaPolicy>($"/api/slas/policies/{id}", "The SLA policy", ct);

    public Task<SlaPolicy> SavePolicyAsync(Guid? id, SlaPolicyDetails details, string? etag, CancellationToken ct) => id is { } existing
        ? SendAsync<SlaPolicy>(HttpMethod.Put, $"/api/slas/policies/{existing}", details, "The SLA policy", ct, ifMatch: etag)
        : SendAsync<SlaPolicy>(HttpMethod.Post, "/api/slas/policies", details, "The SLA policy", ct);

    public Task DeletePolicyAsync(Guid id, CancellationToken ct) => SendAsync(HttpMethod.Delete, $"/api/slas/policies/{id}", null, "The SLA policy", ct);
}
