using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using Msp.ServiceDefaults.Hosting;

namespace Msp.Mail.Domain;

/// <summary>The text a person wrote in a mail: the plain-text part, or the HTML part turned into text; for a reply, without
/// the quoted history underneath.</summary>
public static partial class MailText
{
    public static string BodyOf(MimeMessage message)
    {
        var text = message.TextBody;
        if (string.IsNullOrWhiteSpace(text) && message.HtmlBody is { Length: > 0 } html)
        {
            text = FromHtml(html);
        }

        return Normalize(text ?? "");
    }

    /// <summary>Cuts the quoted history of a reply: from the first line that introduces it ("On ... wrote:", "Le ... a
    /// écrit :", "Il ... ha scritto:", an Outlook header block, "-----Original Message-----", a rule of underscores), and
    /// every line quoted with '>'.</summary>
    public static string WithoutQuotedHistory(string text)
    {
        var lines = Normalize(text).Split('\n');
        var kept = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd();
            var next = i + 1 < lines.Length ? lines[i + 1].Trim() : null;
            if (IntroducesHistory(line, next, lines.Skip(i + 1).Take(4)))
            {
                break;
            }

            if (!line.StartsWith('>'))
            {
                kept.Add(line);
            }
        }

        return string.Join('\n', kept).Trim();
    }

    /// <summary>Whether the history starts at <paramref name="line"/>: an introduction (also one a mail program wrapped
    /// onto the next line), an "original message" rule, or an Outlook header block.</summary>
    private static bool IntroducesHistory(string line, string? next, IEnumerable<string> following) =>
        Introduction().IsMatch(line)
        || (next is not null && line.Length > 0 && !line.StartsWith('>') && Introduction().IsMatch(line + " " + next))
        || OriginalMessage().IsMatch(line)
        || (OutlookHeader().IsMatch(line) && OutlookNext().IsMatch(string.Join('\n', following)));

    /// <summary>HTML as a person reads it: no scripts or styles, a line break for each line or block, no tags, entities decoded.</summary>
    public static string FromHtml(string html)
    {
        var text = Invisible().Replace(html, "");
        text = LineBreak().Replace(text, "\n");
        text = Tag().Replace(text, "");
        text = WebUtility.HtmlDecode(text);
        var lines = text.Replace("\r\n", "\n").Split('\n').Select(l => Spaces().Replace(l, " ").Trim());
        return Blank().Replace(string.Join('\n', lines), "\n\n").Trim();
    }

    [GeneratedRegex(@"<(script|style|head)\b.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Invisible();

    [GeneratedRegex(@"<br\s*/?>|</(p|div|li|tr|h[1-6]|blockquote|table|ul|ol)\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreak();

    [GeneratedRegex(@"<[^>]*>", RegexOptions.Singleline)]
    private static partial Regex Tag();

    [GeneratedRegex(@"[ \t\u00A0]+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex Blank();

    private static string Normalize(string text) => Storable(text).Replace("\r\n", "\n").Replace('\r', '\n').Trim();

    /// <summary>Text as the database can keep it (<see cref="StorableText"/>): a mail may carry a NUL or a broken
    /// surrogate in any header or part, and refusing it would leave it unread at the head of the mailbox for ever, so
    /// the NUL is dropped and the lone surrogate becomes U+FFFD.</summary>
    public static string Storable(string text)
    {
        if (StorableText.IsStorable(text))
        {
            return text;
        }

        var kept = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                kept.Append(c).Append(text[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                kept.Append('\uFFFD');
            }
            else if (c != '\0')
            {
                kept.Append(c);
            }
        }

        return kept.ToString();
    }

    [GeneratedRegex(@"^\s*(On\s.+\swrote:|Le\s.+\sa\s[ée]crit\s?:|Il\s.+\sha\sscritto:|Am\s.+\sschrieb\s.+:)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Introduction();

    [GeneratedRegex(@"^\s*(-{2,}\s*(Original Message|Message d'origine|Messaggio originale|Ursprüngliche Nachricht)\s*-{2,}|_{10,})\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex OriginalMessage();

    [GeneratedRegex(@"^\s*(From|De|Da|Von)\s*:\s*\S", RegexOptions.IgnoreCase)]
    private static partial Regex OutlookHeader();

    [GeneratedRegex(@"^\s*(Sent|Envoyé|Inviato|Date|Gesendet|To|À|A)\s*:", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex OutlookNext();

    /// <summary>The ticket reference in a subject, such as <c>ACME-12</c> in "Re: [ACME-12] Printer".</summary>
    public static string? ReferenceIn(string? subject) => subject is null ? null : Reference().Match(subject) is { Success: true } m ? m.Groups[1].Value.ToUpperInvariant() : null;

    [GeneratedRegex(@"\[([A-Za-z0-9][A-Za-z0-9-]{0,31}-\d{1,12})\]")]
    private static partial Regex Reference();
}
