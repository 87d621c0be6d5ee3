using FluentValidation;

namespace Msp.ServiceDefaults.Validation;

public static class TextRules
{
    /// <summary>A name shown in lists and menus: one line, no control characters (tabs, line breaks, escapes).</summary>
    public static IRuleBuilderOptions<T, string?> SingleLine<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(s => s is null || !s.Any(char.IsControl)).WithMessage("{PropertyName} is one line without control characters.");
}
