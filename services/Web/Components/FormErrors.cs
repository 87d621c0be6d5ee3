using Msp.Web.Api;

namespace Msp.Web.Components;

/// <summary>A form's errors: per field, shown beside it (and tied to it with <c>aria-describedby</c>), and for the form
/// as a whole, shown above it. Filled by the page's own checks and by the API's problem documents.</summary>
public sealed class FormErrors
{
    private readonly Dictionary<string, List<string>> fields = new(StringComparer.OrdinalIgnoreCase);

    public List<string> General { get; } = [];

    public bool Any => General.Count > 0 || fields.Count > 0;

    public void Add(string field, string message)
    {
        if (!fields.TryGetValue(field, out var list))
        {
            fields[field] = list = [];
        }

        list.Add(message);
    }

    public IReadOnlyList<string> Of(string field) => fields.TryGetValue(field, out var list) ? list : [];

    public bool Has(string field) => fields.ContainsKey(field);

    /// <summary>The API's field errors beside the form's fields (the API names them as its JSON does); errors about
    /// fields the form does not have, and a problem without field errors, go above the form.</summary>
    public void Add(ApiProblemException problem, IReadOnlyCollection<string> formFields, string fallback)
    {
        var placed = false;
        foreach (var (field, messages) in problem.Errors)
        {
            var target = formFields.FirstOrDefault(f => f.Equals(field, StringComparison.OrdinalIgnoreCase));
            foreach (var message in messages)
            {
                if (target is not null)
                {
                    Add(target, message);
                }
                else
                {
                    General.Add(message);
                }
            }

            placed = true;
        }

        if (!placed)
        {
            General.Add(problem.Detail is { Length: > 0 } detail ? $"{fallback} {detail}" : fallback);
        }
    }

    /// <summary>The attributes that tie a field to its hint (if any) and its errors.</summary>
    public Dictionary<string, object> Describe(string field, string? hint = null)
    {
        var attributes = new Dictionary<string, object>();
        var describedBy = string.Join(' ', new[] { hint, Has(field) ? $"{field}-error" : null }.OfType<string>());
        if (describedBy.Length > 0)
        {
            attributes["aria-describedby"] = describedBy;
        }

        if (Has(field))
        {
            attributes["aria-invalid"] = "true";
        }

        return attributes;
    }
}
