using Msp.Testing;

namespace Msp.Deployment.Tests;

/// <summary>The checkout under test (MSP_REPO_ROOT, or the folder holding Msp.sln above the test assembly).</summary>
public static class Repository
{
    public static string Root => TestServers.RepoRoot;

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));
}
