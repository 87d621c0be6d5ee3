using System.Text.RegularExpressions;

namespace Msp.Deployment.Tests.Dockerfiles;

/// <summary>The build context every Dockerfile uses, the repository root, as Docker sends it: less what
/// .dockerignore excludes (Docker's patterns: <c>*</c>, <c>?</c>, <c>**</c>, a leading <c>!</c> to take back; a
/// pattern that matches a folder excludes all of it).</summary>
public sealed class BuildContext
{
    private readonly List<(Regex Pattern, bool Exclude)> rules;

    private BuildContext(IEnumerable<string> ignoreLines)
    {
        rules = [.. ignoreLines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l =>
        {
            var exclude = !l.StartsWith('!');
            var pattern = (exclude ? l : l[1..]).Trim('/');
            return (new Regex("^" + Glob(pattern) + "$"), exclude);
        })];
    }

    public static BuildContext OfRepository() =>
        new(File.Exists(Repository.PathOf(".dockerignore")) ? File.ReadAllLines(Repository.PathOf(".dockerignore")) : []);

    /// <summary>Whether <paramref name="relativePath"/> (forward slashes) is sent to the builder.</summary>
    public bool Includes(string relativePath)
    {
        var parts = relativePath.Trim('/').Split('/');
        for (var i = 1; i <= parts.Length; i++)
        {
            var prefix = string.Join('/', parts[..i]);
            var excluded = false;
            foreach (var (pattern, exclude) in rules)
            {
                if (pattern.IsMatch(prefix))
                {
                    excluded = exclude;
                }
            }

            if (excluded)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Copies what Docker would send into <paramref name="target"/>.</summary>
    public void CopyTo(string target)
    {
        var canTakeBack = rules.Any(r => !r.Exclude);
        void Walk(string relative)
        {
            foreach (var file in Directory.GetFiles(Repository.PathOf(relative)))
            {
                var path = Join(relative, System.IO.Path.GetFileName(file));
                if (Includes(path))
                {
                    Directory.CreateDirectory(System.IO.Path.Combine(target, relative));
                    File.Copy(file, System.IO.Path.Combine(target, path));
                }
            }

            foreach (var directory in Directory.GetDirectories(Repository.PathOf(relative)))
            {
                var path = Join(relative, System.IO.Path.GetFileName(directory));
                if (canTakeBack || Includes(path))
                {
                    Walk(path);
                }
            }
        }

        Walk("");
    }

    private static string Join(string a, string b) => a.Length == 0 ? b : $"{a}/{b}";

    private static string Glob(string pattern) =>
        Regex.Replace(pattern, @"\*\*/|\*\*|\*|\?|[^*?]+", m => m.Value switch
        {
            "**/" => "(?:.*/)?",
            "**" => ".*",
            "*" => "[^/]*",
            "?" => "[^/]",
            _ => Regex.Escape(m.Value),
        });
}
