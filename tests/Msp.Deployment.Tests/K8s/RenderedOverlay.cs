using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace Msp.Deployment.Tests.K8s;

/// <summary>One overlay as <c>kubectl kustomize</c> renders it, every object read strictly into its typed model
/// (KubernetesClient's for the built-in kinds, <see cref="OperatorKinds"/> for the operators'). Rendered once per run.</summary>
public sealed partial class RenderedOverlay
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<RenderedOverlay>>> Rendered = new();

    private RenderedOverlay(string name, IReadOnlyList<object> objects)
    {
        Name = name;
        Objects = objects;
    }

    public string Name { get; }

    public IReadOnlyList<object> Objects { get; }

    public static Task<RenderedOverlay> OfAsync(string name) =>
        Rendered.GetOrAdd(name, n => new Lazy<Task<RenderedOverlay>>(() => RenderAsync(n))).Value;

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    /// <summary>Every pod this overlay would run that we write: the Deployments' and the Jobs'.</summary>
    public IEnumerable<(string Owner, V1PodTemplateSpec Template)> PodTemplates =>
        All<V1Deployment>().Select(d => ($"Deployment/{d.Metadata.Name}", d.Spec.Template))
            .Concat(All<V1Job>().Select(j => ($"Job/{j.Metadata.Name}", j.Spec.Template)));

    /// <summary>The ConfigMap kustomize generated as <paramref name="name"/> (its name carries a hash of its content).</summary>
    public V1ConfigMap ConfigMap(string name) =>
        All<V1ConfigMap>().Single(c => Regex.IsMatch(c.Metadata.Name, $"^{Regex.Escape(name)}-[a-z0-9]{{10}}$"));

    /// <summary>The environment a container sees: its ConfigMaps (envFrom) first, then its own env entries.</summary>
    public Dictionary<string, V1EnvVar> EnvironmentOf(V1Container container)
    {
        var env = new Dictionary<string, V1EnvVar>();
        foreach (var source in container.EnvFrom ?? [])
        {
            source.ConfigMapRef.ShouldNotBeNull($"{container.Name} takes its environment from something other than a ConfigMap");
            var map = All<V1ConfigMap>().SingleOrDefault(c => c.Metadata.Name == source.ConfigMapRef.Name)
                .ShouldNotBeNull($"{container.Name} reads ConfigMap {source.ConfigMapRef.Name}, which the overlay does not have");
            foreach (var (key, value) in map.Data ?? new Dictionary<string, string>())
            {
                env[key] = new V1EnvVar { Name = key, Value = value };
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            env[variable.Name] = variable;
        }

        return env;
    }

    private static async Task<RenderedOverlay> RenderAsync(string name)
    {
        var kubectl = await Tools.KubectlAsync();
        var rendered = await Command.RunAsync(kubectl, ["kustomize", $"k8s/overlays/{name}"], timeout: TimeSpan.FromMinutes(2));
        rendered.ExitCode.ShouldBe(0, rendered.Describe($"kubectl kustomize k8s/overlays/{name}"));

        var objects = new List<object>();
        foreach (var document in DocumentSeparator().Split(rendered.Output).Where(d => !string.IsNullOrWhiteSpace(d)))
        {
            var what = $"{Field(document, "kind")}/{Field(document, "name")} in overlay {name}";
            try
            {
                objects.AddRange(KubernetesYaml.LoadAllFromString(document, OperatorKinds.TypeMap, strict: true));
            }
            catch (KeyNotFoundException)
            {
                throw new ShouldAssertException($"{what}: kind {Field(document, "apiVersion")}/{Field(document, "kind")} has no typed model to check it against");
            }
            catch (YamlDotNet.Core.YamlException e)
            {
                throw new ShouldAssertException($"{what} does not match its typed model: {e.Message} {e.InnerException?.Message}");
            }
        }

        return new RenderedOverlay(name, objects);
    }

    private static string Field(string document, string key) =>
        Regex.Match(document, $@"^\s*{key}: *(\S+)", RegexOptions.Multiline) is { Success: true } m ? m.Groups[1].Value : "?";

    [GeneratedRegex(@"^---\s*$", RegexOptions.Multiline)]
    private static partial Regex DocumentSeparator();
}
