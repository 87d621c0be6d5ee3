using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Msp.Gateway.Edge;

namespace Msp.Gateway.ApiReference;

/// <summary>Opens the content security policy of the API reference page just enough for it to run: its own scripts and
/// styles, and by hash the one inline script that starts Scalar with this page's configuration. Every other answer of
/// the gateway keeps the closed policy (<see cref="EdgeProtection"/>).</summary>
public sealed partial class InlineScriptPolicy(RequestDelegate next)
{
    private const string Policy =
        "default-src 'none'; script-src 'self'{0}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public async Task InvokeAsync(HttpContext context)
    {
        var body = context.Response.Body;
        using var page = new MemoryStream();
        context.Response.Body = page;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = body;
        }

        var hashes = context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true
            ? string.Concat(InlineScript().Matches(Encoding.UTF8.GetString(page.GetBuffer(), 0, (int)page.Length))
                .Select(m => $" 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups["code"].Value)))}'"))
            : "";
        context.Items[EdgeProtection.ContentSecurityPolicyItem] = string.Format(System.Globalization.CultureInfo.InvariantCulture, Policy, hashes);
        page.Position = 0;
        await page.CopyToAsync(body, context.RequestAborted);
    }

    /// <summary>A script element without <c>src</c>, and what it runs.</summary>
    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>(?<code>.*?)</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}
