namespace Msp.Tickets.Domain;

public enum TicketStatus
{
    New,
    Open,
    InProgress,
    WaitingOnCustomer,
    WaitingOnThirdParty,
    Resolved,
    Closed,
    Cancelled,
}

/// <summary>Impact and urgency, each High, Medium or Low.</summary>
public enum Level
{
    High,
    Medium,
    Low,
}

public enum Priority
{
    P1,
    P2,
    P3,
    P4,
}

public enum TicketSource
{
    Portal,
    Email,
    Phone,
    Api,
    Staff,

    /// <summary>Someone came to the service desk in person.</summary>
    WalkIn,
}

public enum Visibility
{
    Public,
    Internal,
}

/// <summary>Priority from impact and urgency: the usual ITIL matrix, folded to four levels.</summary>
public static class PriorityMatrix
{
    public static Priority For(Level impact, Level urgency) => (impact, urgency) switch
    {
        (Level.High, Level.High) => Priority.P1,
        (Level.High, Level.Medium) or (Level.Medium, Level.High) => Priority.P2,
        (Level.High, Level.Low) or (Level.Low, Level.High) or (Level.Medium, Level.Medium) => Priority.P3,
        _ => Priority.P4,
    };
}

/// <summary>Which status may follow which. Closed and Cancelled are final; a resolved ticket is either reopened or closed.</summary>
public static class Workflow
{
    private static readonly TicketStatus[] Working =
        [TicketStatus.Open, TicketStatus.InProgress, TicketStatus.WaitingOnCustomer, TicketStatus.WaitingOnThirdParty];

    private static readonly Dictionary<TicketStatus, TicketStatus[]> Next = new()
    {
        [TicketStatus.New] = [.. Working, TicketStatus.Resolved, TicketStatus.Cancelled],
        [TicketStatus.Open] = [.. Working, TicketStatus.Resolved, TicketStatus.Cancelled],
        [TicketStatus.InProgress] = [.. Working, TicketStatus.Resolved, TicketStatus.Cancelled],
        [TicketStatus.WaitingOnCustomer] = [.. Working, TicketStatus.Resolved, TicketStatus.Cancelled],
        [TicketStatus.WaitingOnThirdParty] = [.. Working, TicketStatus.Resolved, TicketStatus.Cancelled],
        [TicketStatus.Resolved] = [TicketStatus.Open, TicketStatus.Closed],
        [TicketStatus.Closed] = [],
        [TicketStatus.Cancelled] = [],
    };

    public static IReadOnlyList<TicketStatus> AllowedFrom(TicketStatus from) => [.. Next[from].Where(s => s != from)];

    public static bool Allows(TicketStatus from, TicketStatus to) => from != to && Next[from].Contains(to);

    public static bool IsFinal(TicketStatus status) => status is TicketStatus.Closed or TicketStatus.Cancelled;
}

/// <summary>A rule of the ticket's life was broken: answered 409 with the explanation (or 403 when it is about who
/// may do it), and nothing is written.</summary>
public sealed class TicketRuleException(string field, string message, bool forbidden = false) : Exception(message)
{
    public string Field { get; } = field;

    public bool Forbidden { get; } = forbidden;
}
