extern alias mail;

using mail::Msp.Mail.Domain;
using MimeKit;

namespace Msp.Mail.Tests.Domain;

public sealed class MailTextTests
{
    [Theory]
    [InlineData("Works now.\n\nOn Fri, 27 Nov 2026 at 14:02, Msp Support <support@msp.local> wrote:\n> Please restart.\n> Thanks", "Works now.")]
    [InlineData("Works now.\n\nOn Fri, 27 Nov 2026 at 14:02, Msp Support <support@msp.local>\nwrote:\n> Please restart.", "Works now.")]
    [InlineData("Ça marche.\n\nLe ven. 27 nov. 2026 à 14:02, Support a écrit :\n> Redémarrez.", "Ça marche.")]
    [InlineData("Funziona.\n\nIl giorno ven 27 nov 2026, Support ha scritto:\n> Riavvii.", "Funziona.")]
    [InlineData("Fixed.\n\n-----Original Message-----\nFrom: Support\nSent: Friday\nPlease restart.", "Fixed.")]
    [InlineData("Fixed.\n\nFrom: Msp Support <support@msp.local>\nSent: Friday, 27 November 2026 14:02\nTo: Jane\nSubject: [ACME-1] Printer", "Fixed.")]
    [InlineData("Fixed.\n________________________________\nDe : Support", "Fixed.")]
    [InlineData("Line one\n> quoted inline\nLine two", "Line one\nLine two")]
    [InlineData("No quote at all.\nFrom now on it works.", "No quote at all.\nFrom now on it works.")]
    public void QuotedHistory_IsCut(string text, string expected) => MailText.WithoutQuotedHistory(text).ShouldBe(expected);

    [Theory]
    [InlineData("Keys\0 stick", "Keys stick")]
    [InlineData("plain text", "plain text")]
    public void TextFromAMail_IsMadeStorable(string text, string expected) => MailText.Storable(text).ShouldBe(expected);

    [Fact]
    public void ALoneSurrogate_BecomesTheReplacementCharacter_AndAPairStays()
    {
        // Built in code: an attribute's string argument cannot carry a lone surrogate through the assembly's metadata.
        const char high = '\uD83D', low = '\uDE00';
        MailText.Storable($"half {high} pair").ShouldBe("half \uFFFD pair");
        MailText.Storable($"low {low}{high} first").ShouldBe("low \uFFFD\uFFFD first");
        MailText.Storable($"a pair {high}{low} stays").ShouldBe($"a pair {high}{low} stays");
    }

    [Fact]
    public void AnHtmlOnlyMail_BecomesText()
    {
        var message = new MimeMessage();
        message.Body = new TextPart("html")
        {
            Text = "<html><head><style>p{color:red}</style></head><body><p>Hello&nbsp;team,</p><p>The <b>printer</b> is &lt;broken&gt;.<br>Floor 2.</p><script>x()</script></body></html>",
        };
        MailText.BodyOf(message).ShouldBe("Hello team,\nThe printer is <broken>.\nFloor 2.");
    }

    [Theory]
    [InlineData("Re: [ACME-12] Printer", "ACME-12")]
    [InlineData("RE: Fwd: [acme-dental-7] x", "ACME-DENTAL-7")]
    [InlineData("Printer [ACME-] broken", null)]
    [InlineData("ACME-12 without brackets", null)]
    [InlineData(null, null)]
    public void TheTicketReference_IsReadFromTheSubject(string? subject, string? expected) => MailText.ReferenceIn(subject).ShouldBe(expected);
}
