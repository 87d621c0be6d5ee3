using Msp.ServiceDefaults.Hosting;

namespace Msp.Shared.Tests.ServiceDefaults;

public sealed class StorableTextTests
{
    [Theory]
    [InlineData("", true)]
    [InlineData("plain text", true)]
    [InlineData("tab\tand\nline \u0001\u001f\u007f", true)]
    [InlineData("pair \\ud83d\\ude00 ok", true)]
    [InlineData("a\u0000b", false)]
    [InlineData("\u0000", false)]
    [InlineData("lone high \\ud800", false)]
    [InlineData("\\ud800x", false)]
    [InlineData("lone low \\udc00", false)]
    [InlineData("reversed \\ude00\\ud83d", false)]
    public void TextIsStorable_UnlessItHoldsNulOrAnUnpairedSurrogate(string text, bool storable) =>
        StorableText.IsStorable(Unescaped(text)).ShouldBe(storable);

    /// <summary>Unpaired surrogates do not survive test-case serialization, so those cases are written escaped.</summary>
    private static string Unescaped(string text) => System.Text.RegularExpressions.Regex.Unescape(text);
}
