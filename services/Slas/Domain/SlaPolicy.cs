namespace Msp.Slas.Domain;

/// <summary>The targets of one priority, in business minutes. <see cref="AroundTheClock"/> counts every minute (a P1
/// often is) instead of the calendar's hours.</summary>
public sealed record PolicyTarget(string Priority, int FirstResponseMinutes, int ResolutionMinutes, bool AroundTheClock);

/// <summary>What the provider promises a tenant: per priority a first-response and a resolution target, counted in
/// the policy's calendar (or the tenant's own), with a warning at <see cref="WarningPercent"/> of the target.</summary>
public sealed class SlaPolicy
{
    public static readonly string[] Priorities = ["P1", "P2", "P3", "P4"];

    private SlaPolicy()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = "";

    public Guid CalendarId { get; private set; }

    public int WarningPercent { get; private set; }

    public bool IsDefault { get; private set; }

    public List<PolicyTarget> Targets { get; private set; } = [];

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public uint RowVersion { get; private set; }

    public static SlaPolicy New(string name, Guid calendarId, int warningPercent, IEnumerable<PolicyTarget> targets, DateTimeOffset now)
    {
        var policy = new SlaPolicy { Id = Guid.CreateVersion7(), CreatedAt = now };
        policy.Change(name, calendarId, warningPercent, targets, now);
        return policy;
    }

    public void Change(string name, Guid calendarId, int warningPercent, IEnumerable<PolicyTarget> targets, DateTimeOffset now)
    {
        Name = name;
        CalendarId = calendarId;
        WarningPercent = warningPercent;
        Targets = [.. targets.OrderBy(t => t.Priority)];
        UpdatedAt = now;
    }

    public void MakeDefault(bool isDefault, DateTimeOffset now)
    {
        IsDefault = isDefault;
        UpdatedAt = now;
    }

    /// <summary>The terms a new ticket of a tenant gets: each priority in the tenant's own calendar if it has one, else
    /// in the policy's, unless the priority runs around the clock.</summary>
    public SlaTerms TermsFor(Guid? tenantCalendarId) => new(Id, Name, WarningPercent, Targets.ToDictionary(
        t => t.Priority,
        t => new PriorityTerms(t.FirstResponseMinutes, t.ResolutionMinutes, t.AroundTheClock ? null : tenantCalendarId ?? CalendarId)));
}
