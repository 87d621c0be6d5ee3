using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Msp.Data;

/// <summary>One versioned SQL file. The version is its file name without extension; files apply in version order.</summary>
public sealed record Migration(string Version, string Sql)
{
    public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    /// <summary>The SQL files embedded under a <c>Migrations</c> folder of an assembly (a service's
    /// <c>Persistence/Migrations</c>, a shared layer's <c>Migrations</c>), optionally only those named.</summary>
    public static IEnumerable<Migration> EmbeddedIn(Assembly assembly, params string[] only)
    {
        const string folder = ".Migrations.";
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.Contains(folder) && n.EndsWith(".sql")))
        {
            var version = resource[(resource.IndexOf(folder, StringComparison.Ordinal) + folder.Length)..^4];
            if (only.Length > 0 && !only.Contains(version))
            {
                continue;
            }

            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            yield return new Migration(version, reader.ReadToEnd());
        }
    }
}
