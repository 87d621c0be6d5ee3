namespace Msp.Web.Api;

public sealed record TenantSla(Guid TenantId, Guid PolicyId, string PolicyName, bool UsesDefaultPolicy, Guid CalendarId, string CalendarName, bool UsesOwnCalendar, string Source);

public sealed record SlaHours(string Day, string Start, string End);

public sealed record SlaHoliday(string Date, string Name, bool Recurring);

public sealed record SlaCalendar(Guid Id, string Name, string TimeZone, bool AlwaysOpen, IReadOnlyList<SlaHours> Hours, IReadOnlyList<SlaHoliday> Holidays);

public sealed record SlaTarget(string Priority, int FirstResponseMinutes, int ResolutionMinutes, bool AroundTheClock);

public sealed record SlaPolicy(Guid Id, string Name, Guid CalendarId, int WarningPercent, bool IsDefault, IReadOnlyList<SlaTarget> Targets);

/// <summary>The console's calls to Slas: a client's policy and calendar.</summary>
public sealed partial class SlasApi
{
    public Task<TenantSla> TenantSlaAsync(Guid tenantId, CancellationToken ct) =>
        GetAsync<TenantSla>($"/api/slas/tenants/{tenantId}", "The client's SLA", ct);

    public Task<SlaCalendar> CalendarAsync(Guid id, CancellationToken ct) => GetAsync<SlaCalendar>($"/api/slas/calendars/{id}", "The calendar", ct);

    public Task<SlaPolicy> PolicyAsync(Guid id, CancellationToken ct) => GetAsync<SlaPolicy>($"/api/slas/policies/{id}", "The SLA policy", ct);
}
