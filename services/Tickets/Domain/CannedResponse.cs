using System.Text.RegularExpressions;

namespace Msp.Tickets.Domain;

/// <summary>A snippet staff insert into a reply, kept by operators for every tenant. Its body may name placeholders
/// (<c>{requester.firstName}</c>, <c>{ticket.reference}</c>, …) that are filled for the ticket and the member of staff
/// who inserts it; a body naming any other placeholder is refused when it is saved, so none reaches a client unfilled.</summary>
public sealed partial class CannedResponse
{
    /// <summary>What a body may name, and what each is filled with.</summary>
    public static readonly IReadOnlyList<string> Placeholders =
    [
        "requester.firstName", "requester.name", "requester.email", "ticket.reference", "ticket.subject", "tenant.name",
        "technician.firstName", "technician.name",
    ];

    private CannedResponse()
    {
    }

    public Guid Id { get; private set; }

    public string Title { get; private set; } = "";

    public string Body { get; private set; } = "";

    public Guid CreatedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Set once retired: no longer listed nor inserted, kept for what was sent with it.</summary>
    public DateTimeOffset? RetiredAt { get; private set; }

    public uint RowVersion { get; private set; }

    public bool IsRetired => RetiredAt is not null;

    public static CannedResponse New(string title, string body, Actor actor, DateTimeOffset now)
    {
        EnsureKnownPlaceholders(body);
        return new CannedResponse { Id = Guid.CreateVersion7(now), Title = title, Body = body, CreatedBy = actor.Id, CreatedAt = now, UpdatedAt = now };
    }

    public void Change(string title, string body, DateTimeOffset now)
    {
        if (IsRetired)
        {
            throw new TicketRuleException("retiredAt", "A retired canned response is no longer changed.");
        }

        EnsureKnownPlaceholders(body);
        (Title, Body, UpdatedAt) = (title, body, now);
    }

    public void Retire(DateTimeOffset now)
    {
        if (!IsRetired)
        {
            (RetiredAt, UpdatedAt) = (now, now);
        }
    }

    /// <summary>The placeholders a body names that are not in <see cref="Placeholders"/>, each once, in order.</summary>
    public static IReadOnlyList<string> UnknownPlaceholders(string body) =>
        [.. Placeholder().Matches(body).Select(m => m.Groups[1].Value).Where(name => !Placeholders.Contains(name)).Distinct()];

    /// <summary>The body with every placeholder replaced by its value (an empty one where a value is not known).</summary>
    public string Fill(IReadOnlyDictionary<string, string?> values) =>
        Placeholder().Replace(Body, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value ?? "" : m.Value);

    private static void EnsureKnownPlaceholders(string body)
    {
        if (UnknownPlaceholders(body) is { Count: > 0 } unknown)
        {
            throw new TicketRuleException("body",
                $"Unknown placeholder{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(u => "{" + u + "}"))}; "
                + $"a body may name {string.Join(", ", Placeholders.Select(p => "{" + p + "}"))}.");
        }
    }

    /// <summary>A name in braces: letters, digits, dots and underscores (<c>{requester.firstName}</c>).</summary>
    [GeneratedRegex(@"\{([A-Za-z0-9_.]+)\}")]
    private static partial Regex Placeholder();
}
