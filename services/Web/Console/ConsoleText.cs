using System.Globalization;
using System.Resources;
using Microsoft.Extensions.Localization;
using Msp.Web.Localization;

namespace Msp.Web.OperatorConsole;

/// <summary>The operator console's own text table, <c>Resources/Console.resx</c> with <c>Console.fr.resx</c> and
/// <c>Console.it.resx</c>: apart from the portal's <c>Text</c> so that the console and the technician workspace, built at
/// the same time, never edit the same file. Looked up as strictly as <see cref="TextLocalizer"/> (decision 0100).</summary>
public sealed class ConsoleText;

public sealed class ConsoleLocalizer(WebOptions options, ILogger<ConsoleLocalizer> logger)
    : StrictLocalizer(Resources, "console", options, logger), IStringLocalizer<ConsoleText>
{
    internal static readonly ResourceManager Resources = new("Msp.Web.Resources.Console", typeof(ConsoleText).Assembly);
}

/// <summary>Who may open the console: Operators and Admins; some pages are Admins' alone.</summary>
public static class ConsoleRoles
{
    public const string Operators = "Operator,Admin";
    public const string Admins = "Admin";
}
