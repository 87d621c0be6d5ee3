extern alias mail;

using System.Text.RegularExpressions;
using mail::Msp.Mail.Domain;
using mail::Msp.Mail.Outbound;

namespace Msp.Mail.Tests.Outbound;

public sealed class MailTemplatesTests
{
    public static TheoryData<string, string> Every()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in Notifications.All)
        {
            foreach (var language in Notifications.Languages)
            {
                data.Add(name, language);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void EveryNotification_HasASubject_TextAndHtml_InEveryLanguage_WithNothingLeftUnfilled(string name, string language)
    {
        var model = new[] { "name", "tenant", "link", "ratingLink", "expiresAt", "reference", "subject", "answerBy", "author", "body", "clock", "dueAt", "priority",
            "kind", "number", "period", "total", "currency", "dueOn", "percent", "hoursUsed", "hoursBought", "hoursLeft" }.ToDictionary(k => k, k => $"<{k}-value>");
        var mail = new MailTemplates().Render(name, language, model);
        mail.Subject.ShouldNotBeNullOrWhiteSpace();
        mail.Text.ShouldNotContain("{{");
        mail.Html.ShouldNotContain("{{");
        mail.Html.ShouldContain($"lang=\"{language}\"");
        mail.Html.ShouldNotContain("<link-value>"); // values are encoded in HTML
        foreach (var used in Regex.Matches(mail.Text, "<([a-zA-Z]+)-value>").Select(m => m.Groups[1].Value))
        {
            mail.Html.ShouldContain($"&lt;{used}-value&gt;");
        }
    }

    [Fact]
    public void AnEmptyValue_HidesItsSection_AndLanguagesDiffer()
    {
        var templates = new MailTemplates();
        var without = templates.Render(Notifications.TicketReceived, "en", new Dictionary<string, string> { ["reference"] = "ACME-1", ["subject"] = "Printer" });
        without.Text.ShouldNotContain("We will answer by");
        var with = templates.Render(Notifications.TicketReceived, "en", new Dictionary<string, string> { ["reference"] = "ACME-1", ["answerBy"] = "Monday 9:00" });
        with.Text.ShouldContain("We will answer by Monday 9:00.");
        templates.Render(Notifications.TicketReceived, "fr", new Dictionary<string, string>()).Subject.ShouldContain("Nous avons reçu");
        templates.Render(Notifications.TicketReceived, "it", new Dictionary<string, string>()).Subject.ShouldContain("Abbiamo ricevuto");
    }
}
