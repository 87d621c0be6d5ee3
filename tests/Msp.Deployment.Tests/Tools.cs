namespace Msp.Deployment.Tests;

/// <summary>The command-line tools the offline checks need: Debian's kubectl (kustomize inside) and a Compose that
/// validates a file without an engine. A missing one is installed with apt-get, as ./msp installs its servers; where
/// that cannot be done, the test fails and says what to install. Never a skip: an unchecked manifest is a failure.</summary>
public static class Tools
{
    private static readonly SemaphoreSlim Installing = new(1, 1);

    public static Task<string> KubectlAsync() => FindOrInstallAsync("kubectl", "kubernetes-client");

    /// <summary>The Compose command: <c>docker compose</c> (the plugin) where it answers, else Debian's docker-compose.</summary>
    public static async Task<(string File, string[] Prefix)> ComposeAsync()
    {
        if (Command.Find("docker") is { } docker &&
            (await Command.RunAsync(docker, ["compose", "version"], timeout: TimeSpan.FromSeconds(30))).ExitCode == 0)
        {
            return (docker, ["compose"]);
        }

        return (await FindOrInstallAsync("docker-compose", "docker-compose"), []);
    }

    private static async Task<string> FindOrInstallAsync(string program, string debianPackage)
    {
        if (Command.Find(program) is { } found)
        {
            return found;
        }

        await Installing.WaitAsync();
        try
        {
            if (Command.Find(program) is { } installedMeanwhile)
            {
                return installedMeanwhile;
            }

            var aptGet = Command.Find("apt-get");
            if (aptGet is null || Environment.UserName != "root")
            {
                throw new InvalidOperationException(
                    $"{program} is needed to check the deployment files offline and is not installed; install Debian's {debianPackage} (apt-get install -y {debianPackage}).");
            }

            var env = new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" };
            var wait = new[] { "-o", "DPkg::Lock::Timeout=300" };
            await Command.RunAsync(aptGet, [.. wait, "update", "-qq"], environment: env, timeout: TimeSpan.FromMinutes(5));
            var install = await Command.RunAsync(aptGet, [.. wait, "install", "-y", "-qq", debianPackage], environment: env, timeout: TimeSpan.FromMinutes(8));
            return Command.Find(program) ?? throw new InvalidOperationException(
                install.Describe($"{program} is needed to check the deployment files offline; apt-get install -y {debianPackage}"));
        }
        finally
        {
            Installing.Release();
        }
    }
}
