using System.Text.RegularExpressions;
using k8s.Models;

namespace Msp.Deployment.Tests.K8s;

/// <summary>No secret in the manifests, only references the user fills (and docs/deployment.md names); one way in.</summary>
public partial class SecretsAndEntryTests
{
    public static TheoryData<string> Overlays => new() { "dev", "production" };

    [Theory, MemberData(nameof(Overlays))]
    public async Task NoSecret_CarriesData(string overlay)
    {
        foreach (var secret in (await RenderedOverlay.OfAsync(overlay)).All<V1Secret>())
        {
            (secret.Data?.Count ?? 0).ShouldBe(0, $"Secret {secret.Metadata.Name} carries data");
            (secret.StringData?.Count ?? 0).ShouldBe(0, $"Secret {secret.Metadata.Name} carries data");
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task CredentialsInEnvironmentValues_AreOnlyReferencesToVariablesSetBeforeThem(string overlay)
    {
        var rendered = await RenderedOverlay.OfAsync(overlay);
        foreach (var (owner, template) in rendered.PodTemplates)
        {
            var container = template.Spec.Containers[0];
            var defined = rendered.EnvironmentOf(new V1Container { Name = container.Name, EnvFrom = container.EnvFrom }).Keys.ToHashSet();
            foreach (var variable in container.Env ?? [])
            {
                if (variable.Value is { } value)
                {
                    value.ShouldNotMatch(@"(?i)password=(?!\$\()", $"{owner}: {variable.Name} holds a password");
                    value.ShouldNotMatch(@"amqp://[^$@]+@", $"{owner}: {variable.Name} holds broker credentials");
                    foreach (Match reference in VariableReference().Matches(value))
                    {
                        // Kubernetes expands $(NAME) only from variables defined before this one.
                        defined.ShouldContain(reference.Groups[1].Value, $"{owner}: {variable.Name} refers to $({reference.Groups[1].Value}) before it is set");
                    }
                }
                else
                {
                    variable.ValueFrom.ShouldNotBeNull(variable.Name);
                    (variable.ValueFrom.SecretKeyRef ?? (object?)variable.ValueFrom.ConfigMapKeyRef ?? variable.ValueFrom.FieldRef).ShouldNotBeNull(variable.Name);
                }

                defined.Add(variable.Name);
            }
        }

        foreach (var map in rendered.All<V1ConfigMap>())
        {
            (map.Data ?? new Dictionary<string, string>()).Keys.ShouldNotContain(k => Regex.IsMatch(k, "(?i)password|secret"), $"ConfigMap {map.Metadata.Name}");
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task EverySecretReferenced_IsNamedInTheDeploymentGuide(string overlay)
    {
        var rendered = await RenderedOverlay.OfAsync(overlay);
        var guide = Repository.Read("docs/deployment.md");
        var referenced = rendered.PodTemplates.SelectMany(t => t.Template.Spec.Containers).SelectMany(c => c.Env ?? [])
            .Select(e => e.ValueFrom?.SecretKeyRef?.Name).OfType<string>()
            .Concat(rendered.All<CnpgCluster>().SelectMany(c => new[]
            {
                c.Spec!.Bootstrap?.Initdb?.Secret?.Name, c.Spec.Backup?.BarmanObjectStore?.S3Credentials?.AccessKeyId?.Name,
            }.Concat(c.Spec.Managed?.Roles.Select(r => r.PasswordSecret?.Name) ?? [])).OfType<string>())
            .Concat(rendered.All<V1Ingress>().SelectMany(i => i.Spec.Tls ?? []).Select(t => t.SecretName))
            .Distinct().ToList();

        referenced.ShouldNotBeEmpty();
        foreach (var secret in referenced)
        {
            guide.ShouldContain(secret, customMessage: $"docs/deployment.md does not tell the user about Secret {secret}");
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task TheOnlyEntryFromOutside_IsTheIngressToTheGateway(string overlay)
    {
        var rendered = await RenderedOverlay.OfAsync(overlay);
        var ingress = rendered.All<V1Ingress>().ShouldHaveSingleItem();
        var backends = ingress.Spec.Rules.SelectMany(r => r.Http.Paths).Select(p => p.Backend)
            .Concat(ingress.Spec.DefaultBackend is { } fallback ? [fallback] : []).ToList();

        backends.ShouldNotBeEmpty();
        backends.ShouldAllBe(b => b.Service.Name == "gateway");
        ingress.Spec.Rules.ShouldAllBe(r => !string.IsNullOrEmpty(r.Host));
        ingress.Spec.Tls.ShouldNotBeEmpty();
        rendered.All<V1Service>().ShouldAllBe(s => s.Spec.Type == null || s.Spec.Type == "ClusterIP");
        rendered.PodTemplates.ShouldAllBe(t => t.Template.Spec.Containers.All(c => c.Ports == null || c.Ports.All(p => p.HostPort == null)));
    }

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex VariableReference();
}
