namespace Msp.Slas.Domain;

/// <summary>The two clocks every ticket has.</summary>
public enum ClockKind
{
    FirstResponse,
    Resolution,
}

/// <summary>What a policy promises for one priority: targets in business minutes, in the calendar named
/// (<see cref="CalendarId"/> null: around the clock).</summary>
public sealed record PriorityTerms(int FirstResponseMinutes, int ResolutionMinutes, Guid? CalendarId)
{
    public int TargetMinutes(ClockKind kind) => kind == ClockKind.FirstResponse ? FirstResponseMinutes : ResolutionMinutes;
}

/// <summary>The policy as it stood when the ticket was opened, kept with the ticket: editing a policy changes the
/// tickets opened after the edit, never the deadlines already promised (docs/decisions/0014).</summary>
public sealed record SlaTerms(Guid PolicyId, string PolicyName, int WarningPercent, IReadOnlyDictionary<string, PriorityTerms> Priorities)
{
    public PriorityTerms For(string priority) =>
        Priorities.TryGetValue(priority, out var terms) ? terms : throw new InvalidOperationException($"The policy has no terms for {priority}.");
}
