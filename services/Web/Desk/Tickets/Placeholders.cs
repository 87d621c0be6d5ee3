using System.Text.RegularExpressions;

namespace Msp.Web.Desk.Tickets;

/// <summary>Fills a canned response's placeholders (<c>{requester.firstName}</c>, <c>{ticket.reference}</c>, …) for
/// one ticket and the member of staff inserting it. Tickets refuses a body naming any other placeholder, so an unknown
/// one is left as written rather than guessed.</summary>
public static partial class Placeholders
{
    /// <summary>The placeholders a canned response may name, as Tickets accepts them (its <c>CannedResponse.Placeholders</c>).</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "requester.firstName", "requester.name", "requester.email", "ticket.reference", "ticket.subject", "tenant.name",
        "technician.firstName", "technician.name",
    ];

    public static string Fill(string body, IReadOnlyDictionary<string, string?> values) =>
        Placeholder().Replace(body, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value ?? "" : m.Value);

    /// <summary>The values for a ticket: the requester's and the technician's first names are the first word of their
    /// display names.</summary>
    public static Dictionary<string, string?> For(
        string? requesterName, string? requesterEmail, string reference, string subject, string tenantName, string? technicianName) => new()
        {
            ["requester.firstName"] = FirstName(requesterName),
            ["requester.name"] = requesterName,
            ["requester.email"] = requesterEmail,
            ["ticket.reference"] = reference,
            ["ticket.subject"] = subject,
            ["tenant.name"] = tenantName,
            ["technician.firstName"] = FirstName(technicianName),
            ["technician.name"] = technicianName,
        };

    private static string? FirstName(string? name) => name?.Trim().Split(' ', 2)[0] is { Length: > 0 } first ? first : null;

    [GeneratedRegex(@"\{([A-Za-z0-9_.]+)\}")]
    private static partial Regex Placeholder();
}
