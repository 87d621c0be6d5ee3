using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;

namespace Msp.Mail.Outbound;

/// <summary>A notification rendered for one recipient.</summary>
public sealed record RenderedMail(string Subject, string Text, string Html);

/// <summary>The templates in <c>Templates/</c> (embedded): <c>{name}.{language}.txt</c> starts with a <c>Subject:</c> line,
/// then the plain text; <c>{name}.{language}.html</c> is the HTML body. <c>{{key}}</c> is replaced by the model's value
/// (HTML-encoded in HTML, where line breaks become <c>&lt;br&gt;</c>); <c>{{#key}}...{{/key}}</c> shows only when the
/// value is not empty. A language without its own file reads English.</summary>
public sealed partial class MailTemplates
{
    private readonly ConcurrentDictionary<string, string> files = new();

    public RenderedMail Render(string name, string language, IReadOnlyDictionary<string, string> model)
    {
        var text = Fill(Read(name, language, "txt"), model, html: false);
        var lines = text.Replace("\r\n", "\n").Split('\n');
        if (!lines[0].StartsWith("Subject:", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Template {name}.{language}.txt does not start with a Subject: line.");
        }

        var subject = lines[0]["Subject:".Length..].Trim();
        var body = Blank().Replace(string.Join('\n', lines.Skip(1)).Trim(), "\n\n");
        var html = Fill(Read(name, language, "html"), model, html: true);
        return new RenderedMail(subject, body + "\n", Layout(subject, html, language));
    }

    public static bool Exists(string name) => typeof(MailTemplates).Assembly.GetManifestResourceInfo($"Msp.Mail.Templates.{name}.en.txt") is not null;

    private string Read(string name, string language, string extension) => files.GetOrAdd($"{name}.{language}.{extension}", key =>
    {
        var assembly = typeof(MailTemplates).Assembly;
        using var stream = assembly.GetManifestResourceStream($"Msp.Mail.Templates.{key}")
            ?? assembly.GetManifestResourceStream($"Msp.Mail.Templates.{name}.en.{extension}")
            ?? throw new InvalidOperationException($"No template {name}.{extension}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    private static string Fill(string template, IReadOnlyDictionary<string, string> model, bool html)
    {
        var sections = Section().Replace(template, m => model.TryGetValue(m.Groups[1].Value, out var v) && v.Length > 0 ? m.Groups[2].Value : "");
        return Placeholder().Replace(sections, m =>
        {
            var value = model.TryGetValue(m.Groups[1].Value, out var v) ? v : "";
            return html ? WebUtility.HtmlEncode(value).Replace("\r\n", "\n").Replace("\n", "<br>\n") : value;
        });
    }

    private static string Layout(string subject, string body, string language) => $"""
        <!DOCTYPE html>
        <html lang="{language}">
        <head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(subject)}</title></head>
        <body style="font-family: sans-serif; line-height: 1.5; color: #222;">
        {body}
        </body>
        </html>
        """;

    [GeneratedRegex(@"\{\{#(\w+)\}\}(.*?)\{\{/\1\}\}", RegexOptions.Singleline)]
    private static partial Regex Section();

    [GeneratedRegex(@"\{\{(\w+)\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex Blank();
}
