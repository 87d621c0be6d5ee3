extern alias mail;

using mail::Msp.Mail.Domain;
using MimeKit;

namespace Msp.Mail.Tests.Domain;

public sealed class AutomaticMailTests
{
    private const string Support = "support@msp.local";

    [Theory]
    [InlineData("Auto-Submitted", "auto-replied", "Auto-Submitted")]
    [InlineData("Auto-Submitted", "auto-generated", "Auto-Submitted")]
    [InlineData("Precedence", "bulk", "Precedence")]
    [InlineData("Precedence", "junk", "Precedence")]
    [InlineData("Precedence", "list", "Precedence")]
    [InlineData("X-Loop", "support@msp.local", "X-Loop")]
    [InlineData("X-Auto-Response-Suppress", "All", "X-Auto-Response-Suppress")]
    [InlineData("X-Msp-Delivery", "0193", "our own")]
    [InlineData("List-Id", "<users.lists.example>", "mailing list")]
    public void AMessageWithTheHeader_IsAutomatic(string header, string value, string because)
    {
        var message = Person("jane@client.example");
        message.Headers.Add(header, value);
        AutomaticMail.Why(message, Support).ShouldNotBeNull().ShouldContain(because);
    }

    [Theory]
    [InlineData("MAILER-DAEMON@mx.client.example")]
    [InlineData("postmaster@client.example")]
    [InlineData("support@msp.local")]
    public void MailFromADaemonOrFromOurselves_IsAutomatic(string from) => AutomaticMail.Why(Person(from), Support).ShouldNotBeNull();

    [Fact]
    public void ADeliveryReport_IsAutomatic()
    {
        var message = Person("jane@client.example");
        message.Body = new MultipartReport("delivery-status") { new TextPart("plain") { Text = "Undeliverable" } };
        AutomaticMail.Why(message, Support).ShouldNotBeNull();
    }

    [Fact]
    public void APersonsMail_AndAutoSubmittedNo_AreNotAutomatic()
    {
        AutomaticMail.Why(Person("jane@client.example"), Support).ShouldBeNull();
        var explicitNo = Person("jane@client.example");
        explicitNo.Headers.Add("Auto-Submitted", "no");
        AutomaticMail.Why(explicitNo, Support).ShouldBeNull();
    }

    private static MimeMessage Person(string from)
    {
        var message = new MimeMessage { Subject = "Help" };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(Support));
        message.Body = new TextPart("plain") { Text = "Please help." };
        return message;
    }
}
