using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Msp.Deployment.Tests.Dockerfiles;

/// <summary>Every deployable's Dockerfile: how it is built (restore cached by project files, SDK 10), what it runs
/// (the chiseled ASP.NET runtime, a non-root user, exec forms only), and whether what it publishes publishes.</summary>
public partial class DockerfileTests(ITestOutputHelper output)
{
    /// <summary>The deployables whose projects exist today; Web's and Mail's join by themselves once theirs do.</summary>
    private static readonly string[] Existing = ["gateway/Dockerfile", "services/Billing/Dockerfile", "services/Slas/Dockerfile", "services/Tenants/Dockerfile", "services/Tickets/Dockerfile"];

    public static TheoryData<string> Paths => [.. Dockerfile.All().Select(d => d.Path)];

    [Fact]
    public void EveryDeployable_HasADockerfile()
    {
        var paths = Dockerfile.All().Select(d => d.Path).ToList();
        paths.ShouldBe(["gateway/Dockerfile", "services/Billing/Dockerfile", "services/Mail/Dockerfile", "services/Slas/Dockerfile",
            "services/Tenants/Dockerfile", "services/Tickets/Dockerfile", "services/Web/Dockerfile"], ignoreOrder: true);
    }

    [Theory, MemberData(nameof(Paths))]
    public void Build_RestoresFromTheProjectFilesAloneBeforeCopyingTheSources(string path)
    {
        var dockerfile = Dockerfile.Read(path);
        dockerfile.Stages.SkipLast(1).ShouldAllBe(s => s.Image == "mcr.microsoft.com/dotnet/sdk:10.0");

        // The projects stage keeps only what restore reads; the build stage restores from it, then copies the sources.
        var projects = dockerfile.StageNamed("projects");
        projects.Commands.ShouldContain(c => c.StartsWith("find ", StringComparison.Ordinal) && c.Contains("'*.csproj'") && c.Contains("'Directory.*.props'") && c.EndsWith("-delete"));
        var build = dockerfile.StageNamed("build").Instructions;
        var fromProjects = build.FindIndex(i => i.Keyword == "COPY" && i.Copy().Flags.GetValueOrDefault("from") == "projects");
        var restore = build.FindIndex(i => i.Keyword == "RUN" && i.Arguments.StartsWith("dotnet restore", StringComparison.Ordinal));
        var sources = build.FindIndex(i => i.Keyword == "COPY" && i.Copy() is { Flags.Count: 0, Sources: ["."] });
        var publish = build.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish"));
        (fromProjects >= 0 && fromProjects < restore && restore < sources && sources < publish).ShouldBeTrue(
            $"{path}: expected COPY --from=projects, RUN dotnet restore, COPY . ., RUN dotnet publish in that order");
        Publishes(dockerfile).ShouldAllBe(p => p.Arguments.Contains("--no-restore"), "publish must use the cached restore");
    }

    [Theory, MemberData(nameof(Paths))]
    public void Runtime_IsTheChiseledImageAsANonRootUserWithNothingThatNeedsAShell(string path)
    {
        var final = Dockerfile.Read(path).Final;
        final.Image.ShouldStartWith("mcr.microsoft.com/dotnet/aspnet:10.0-");
        final.Image.ShouldContain("chiseled");
        final.Of("RUN").ShouldBeEmpty("the runtime image has no shell to run anything with");

        var user = final.Of("USER").ShouldHaveSingleItem().Arguments;
        user.ShouldBeOneOf("$APP_UID", "1654");
        final.Instructions.IndexOf(final.Of("USER").Single()).ShouldBeGreaterThan(final.Instructions.FindLastIndex(i => i.Keyword == "COPY"));

        var entrypoint = final.Of("ENTRYPOINT").ShouldHaveSingleItem().ExecForm().ShouldNotBeNull($"{path}: ENTRYPOINT in shell form needs a shell");
        entrypoint[0].ShouldBe("dotnet");
        var health = final.Of("HEALTHCHECK").ShouldHaveSingleItem();
        var probe = health.ExecForm().ShouldNotBeNull($"{path}: HEALTHCHECK in shell form needs a shell");
        probe[..2].ShouldBe(["dotnet", "/probe/Msp.HealthProbe.dll"]);
        probe[2].ShouldStartWith("/health/");
        health.Arguments.ShouldMatch(@"--timeout=(\d+)s");
        int.Parse(TimeoutOption().Match(health.Arguments).Groups[1].Value).ShouldBeGreaterThan((int)Msp.HealthProbe.Probe.Timeout.TotalSeconds,
            "the probe must give up before Docker kills it");
        final.Of("EXPOSE").ShouldHaveSingleItem().Arguments.ShouldBe("8080");
    }

    [Theory, MemberData(nameof(Paths))]
    public void EveryCopiedSource_IsInTheBuildContextOrMadeByAnEarlierStage(string path)
    {
        var dockerfile = Dockerfile.Read(path);
        var context = BuildContext.OfRepository();
        foreach (var stage in dockerfile.Stages)
        {
            foreach (var (flags, sources, _) in stage.Of("COPY").Select(c => c.Copy()))
            {
                foreach (var source in sources)
                {
                    if (flags.TryGetValue("from", out var from))
                    {
                        var earlier = dockerfile.Stages.TakeWhile(s => s != stage).SingleOrDefault(s => s.Name == from)
                            .ShouldNotBeNull($"{path}: COPY --from={from} names no earlier stage");
                        if (from != "projects")
                        {
                            var made = $@"(-o {Regex.Escape(source)}(\s|$))|(^mkdir -p (.* )?{Regex.Escape(source)}(/|\s|$))";
                            earlier.Commands.ShouldContain(c => Regex.IsMatch(c, made),
                                $"{path}: nothing in stage {from} makes {source}");
                        }
                    }
                    else
                    {
                        (source == "." || (Exists(source) && context.Includes(source))).ShouldBeTrue($"{path}: COPY {source} is not in the build context");
                    }
                }
            }
        }
    }

    /// <summary>Publishes each deployable whose project exists, as its Dockerfile does, from a copy of the build context
    /// (the repository less .dockerignore), and looks for what ENTRYPOINT and HEALTHCHECK run where the runtime stage's
    /// COPY puts them. One test, one deployable after another: the machine has two cores.</summary>
    [Fact]
    public async Task EveryDockerfile_PublishesWhatItsEntrypointAndHealthcheckRun()
    {
        var work = Directory.CreateTempSubdirectory("msp-docker-");
        try
        {
            var context = Path.Combine(work.FullName, "context");
            BuildContext.OfRepository().CopyTo(context);
            var published = new Dictionary<string, string>(); // project -> output folder, so that the probe is published once
            var checkedPaths = new List<string>();

            foreach (var dockerfile in Dockerfile.All())
            {
                var publishes = Publishes(dockerfile).Select(p => PublishCommand().Match(p.Arguments)).ToList();
                publishes.ShouldAllBe(m => m.Success, $"{dockerfile.Path}: cannot read its dotnet publish");
                var app = publishes[0].Groups["project"].Value;
                if (!File.Exists(Path.Combine(context, app)))
                {
                    output.WriteLine($"{dockerfile.Path}: not published, {app} does not exist yet");
                    continue;
                }

                // The build stage's file system, as far as the runtime stage copies from it.
                var buildFs = new Dictionary<string, string>();
                foreach (var publish in publishes)
                {
                    var project = publish.Groups["project"].Value;
                    if (!published.TryGetValue(project, out var folder))
                    {
                        folder = Path.Combine(work.FullName, "out", project.Replace('/', '_'));
                        var started = DateTime.UtcNow;
                        var result = await Command.RunAsync("dotnet",
                            ["publish", Path.Combine(context, project), "-c", publish.Groups["configuration"].Value, "-p:UseAppHost=false", "-o", folder, "-nologo", "-v", "q"],
                            workingDirectory: context, timeout: TimeSpan.FromMinutes(5));
                        result.ExitCode.ShouldBe(0, result.Describe($"{dockerfile.Path}: dotnet publish {project}"));
                        output.WriteLine($"{dockerfile.Path}: published {project} in {(DateTime.UtcNow - started).TotalSeconds:0} s");
                        published[project] = folder;
                    }

                    buildFs[publish.Groups["output"].Value] = folder;
                }

                var final = dockerfile.Final;
                var image = new List<(string Destination, string Source)>();
                foreach (var (flags, sources, destination) in final.Of("COPY").Select(c => c.Copy()))
                {
                    flags.GetValueOrDefault("from").ShouldBe("build", $"{dockerfile.Path}: the runtime stage copies only from the build stage");
                    var target = destination.StartsWith('/') ? destination : Path.Combine(final.WorkDir, destination);
                    image.AddRange(sources.Where(buildFs.ContainsKey).Select(s => (target.TrimEnd('/', '.'), buildFs[s])));
                }

                string InImage(string file)
                {
                    var absolute = file.StartsWith('/') ? file : Path.Combine(final.WorkDir, file);
                    var (destination, source) = image.SingleOrDefault(i => absolute.StartsWith(i.Destination + "/", StringComparison.Ordinal));
                    source.ShouldNotBeNull($"{dockerfile.Path}: nothing copied into the image puts {absolute} there");
                    return Path.Combine(source, absolute[(destination.Length + 1)..]);
                }

                var entrypoint = final.Of("ENTRYPOINT").Single().ExecForm()!;
                File.Exists(InImage(entrypoint[1])).ShouldBeTrue($"{dockerfile.Path}: ENTRYPOINT runs {entrypoint[1]}, which the publish did not make");
                File.Exists(InImage(Path.ChangeExtension(entrypoint[1], ".runtimeconfig.json"))).ShouldBeTrue();
                var probe = final.Of("HEALTHCHECK").Single().ExecForm()!;
                File.Exists(InImage(probe[1])).ShouldBeTrue($"{dockerfile.Path}: HEALTHCHECK runs {probe[1]}, which the publish did not make");
                checkedPaths.Add(dockerfile.Path);
            }

            output.WriteLine($"checked: {string.Join(", ", checkedPaths)}");
            checkedPaths.ShouldBeSubsetOf(Dockerfile.All().Select(d => d.Path));
            Existing.ShouldBeSubsetOf(checkedPaths, "the five deployables that exist today must be published");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static IEnumerable<Instruction> Publishes(Dockerfile dockerfile) =>
        dockerfile.Stages.SelectMany(s => s.Commands).Where(c => c.StartsWith("dotnet publish", StringComparison.Ordinal)).Select(c => new Instruction("RUN", c));

    private static bool Exists(string source) => File.Exists(Repository.PathOf(source)) || Directory.Exists(Repository.PathOf(source));

    [GeneratedRegex(@"^dotnet publish (?<project>\S+\.csproj) -c (?<configuration>\w+) .*-o (?<output>\S+)$")]
    private static partial Regex PublishCommand();

    [GeneratedRegex(@"--timeout=(\d+)s")]
    private static partial Regex TimeoutOption();
}
