using k8s.Models;

namespace Msp.Deployment.Tests.K8s;

/// <summary>The Deployments and Jobs of each overlay: probes, resources, the restricted security context, autoscaling
/// and disruption budgets, migrations, configuration.</summary>
public class WorkloadTests
{
    public static TheoryData<string> Overlays => new() { "dev", "production" };

    [Theory, MemberData(nameof(Overlays))]
    public async Task Overlay_RendersEveryDeployableAndEachObjectMatchesItsTypedModel(string overlay)
    {
        var rendered = await RenderedOverlay.OfAsync(overlay);

        rendered.All<V1Deployment>().Select(d => d.Metadata.Name).Order().ShouldBe(Deployables.All.Order());
        rendered.All<V1Job>().Select(j => j.Metadata.Name).Order().ShouldBe(Deployables.WithDatabase.Select(s => $"{s}-migrate").Order());
        rendered.Objects.ShouldAllBe(o => ((k8s.IKubernetesObject<V1ObjectMeta>)o).Metadata.NamespaceProperty == (overlay == "dev" ? "msp-dev" : "msp") ||
            o is V1Namespace);
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task EveryDeployment_ProbesLivenessAndReadinessOnTheHealthEndpoints(string overlay)
    {
        foreach (var deployment in (await RenderedOverlay.OfAsync(overlay)).All<V1Deployment>())
        {
            var container = deployment.Spec.Template.Spec.Containers.ShouldHaveSingleItem();
            var http = container.Ports.ShouldHaveSingleItem();
            (http.Name, http.ContainerPort).ShouldBe(("http", 8080), deployment.Metadata.Name);
            foreach (var (probe, path) in new[] { (container.LivenessProbe, "/health/live"), (container.ReadinessProbe, "/health/ready"), (container.StartupProbe, "/health/live") })
            {
                probe.ShouldNotBeNull($"{deployment.Metadata.Name} lacks a probe on {path}");
                probe.HttpGet.Path.ShouldBe(path, deployment.Metadata.Name);
                probe.HttpGet.Port.Value.ShouldBe("http", deployment.Metadata.Name);
            }
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task EveryPod_RequestsAndLimitsCpuAndMemory(string overlay)
    {
        foreach (var (owner, template) in (await RenderedOverlay.OfAsync(overlay)).PodTemplates)
        {
            foreach (var container in Containers(template))
            {
                var resources = container.Resources.ShouldNotBeNull($"{owner}: {container.Name} has no resources");
                foreach (var kind in new[] { "cpu", "memory" })
                {
                    resources.Requests.ShouldContainKey(kind, $"{owner}: {container.Name} requests no {kind}");
                    resources.Limits.ShouldContainKey(kind, $"{owner}: {container.Name} has no {kind} limit");
                    resources.Requests[kind].ToDecimal().ShouldBeLessThanOrEqualTo(resources.Limits[kind].ToDecimal(), $"{owner}: {kind}");
                }
            }
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task EveryPod_RunsUnderTheRestrictedSecurityContext(string overlay)
    {
        foreach (var (owner, template) in (await RenderedOverlay.OfAsync(overlay)).PodTemplates)
        {
            var pod = template.Spec;
            pod.SecurityContext.ShouldNotBeNull(owner);
            pod.SecurityContext.RunAsNonRoot.ShouldBe(true, owner);
            pod.SecurityContext.RunAsUser.ShouldNotBe(0, owner);
            pod.SecurityContext.SeccompProfile?.Type.ShouldBe("RuntimeDefault", owner);
            (pod.HostNetwork ?? false, pod.HostPID ?? false, pod.HostIPC ?? false).ShouldBe((false, false, false), owner);
            pod.AutomountServiceAccountToken.ShouldBe(false, $"{owner} needs no access to the Kubernetes API");
            (pod.Volumes ?? []).ShouldAllBe(v => v.HostPath == null, owner);

            foreach (var container in Containers(template))
            {
                var what = $"{owner}: container {container.Name}";
                var context = container.SecurityContext.ShouldNotBeNull(what);
                context.AllowPrivilegeEscalation.ShouldBe(false, what);
                context.ReadOnlyRootFilesystem.ShouldBe(true, what);
                (context.Privileged ?? false).ShouldBeFalse(what);
                (context.RunAsNonRoot ?? pod.SecurityContext.RunAsNonRoot).ShouldBe(true, what);
                context.Capabilities.Drop.ShouldContain("ALL", what);
                (context.Capabilities.Add ?? []).ShouldBeEmpty(what);
                (context.SeccompProfile ?? pod.SecurityContext.SeccompProfile).ShouldNotBeNull(what).Type.ShouldBe("RuntimeDefault", what);

                // A read-only root needs somewhere to write temporary files: /tmp from an emptyDir.
                var tmp = container.VolumeMounts.ShouldNotBeNull(what).SingleOrDefault(m => m.MountPath == "/tmp").ShouldNotBeNull($"{what} has no /tmp");
                pod.Volumes.ShouldNotBeNull(what).Single(v => v.Name == tmp.Name).EmptyDir.ShouldNotBeNull($"{what}: /tmp is not an emptyDir");
            }
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task EveryHorizontalPodAutoscaler_ScalesADeploymentAndEveryDeploymentHasOne(string overlay)
    {
        var rendered = await RenderedOverlay.OfAsync(overlay);
        var deployments = rendered.All<V1Deployment>().Select(d => d.Metadata.Name).ToHashSet();
        var autoscalers = rendered.All<V2HorizontalPodAutoscaler>().ToList();

        foreach (var hpa in autoscalers)
        {
            (hpa.Spec.ScaleTargetRef.ApiVersion, hpa.Spec.ScaleTargetRef.Kind).ShouldBe(("apps/v1", "Deployment"), hpa.Metadata.Name);
            deployments.ShouldContain(hpa.Spec.ScaleTargetRef.Name, $"HPA {hpa.Metadata.Name} scales a Deployment that does not exist");
            hpa.Spec.MinReplicas.ShouldNotBeNull().ShouldBeLessThanOrEqualTo(hpa.Spec.MaxReplicas);
            hpa.Spec.Metrics.ShouldNotBeEmpty();
            if (overlay == "production")
            {
                hpa.Spec.MinReplicas.Value.ShouldBeGreaterThanOrEqualTo(2, $"{hpa.Metadata.Name}: one replica is not highly available");
            }
        }

        autoscalers.Select(h => h.Spec.ScaleTargetRef.Name).Order().ShouldBe(deployments.Order());
        // The autoscaler owns the count; a replicas field would be reset by every apply.
        rendered.All<V1Deployment>().ShouldAllBe(d => d.Spec.Replicas == null);
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task EveryPodDisruptionBudget_SelectsTheReplicasOfOneDeployment(string overlay)
    {
        var rendered = await RenderedOverlay.OfAsync(overlay);
        var budgets = rendered.All<V1PodDisruptionBudget>().ToList();

        foreach (var budget in budgets)
        {
            rendered.All<V1Deployment>().Count(d => Labels.Match(budget.Spec.Selector, d.Spec.Template.Metadata.Labels))
                .ShouldBe(1, $"PDB {budget.Metadata.Name} must select the pods of exactly one Deployment");
            rendered.All<V1Job>().ShouldNotContain(j => Labels.Match(budget.Spec.Selector, j.Spec.Template.Metadata.Labels));
            (budget.Spec.MaxUnavailable ?? budget.Spec.MinAvailable).ShouldNotBeNull(budget.Metadata.Name);
        }

        rendered.All<V1Deployment>().ShouldAllBe(d => budgets.Any(b => Labels.Match(b.Spec.Selector, d.Spec.Template.Metadata.Labels)));
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task EveryServiceWithADatabase_IsMigratedOncePerReleaseByAJobAndNotByItsReplicas(string overlay)
    {
        var rendered = await RenderedOverlay.OfAsync(overlay);
        foreach (var service in Deployables.WithDatabase)
        {
            var deployment = rendered.All<V1Deployment>().Single(d => d.Metadata.Name == service);
            var job = rendered.All<V1Job>().Single(j => j.Metadata.Name == $"{service}-migrate");
            var migrate = job.Spec.Template.Spec.Containers.ShouldHaveSingleItem();
            var env = rendered.EnvironmentOf(migrate);

            migrate.Image.ShouldBe(deployment.Spec.Template.Spec.Containers[0].Image, "the Job runs this release's image of the service");
            env["Msp__MigrateOnly"].Value.ShouldBe("true");
            env.ShouldContainKey("ConnectionStrings__DatabaseOwner");
            job.Spec.Template.Spec.RestartPolicy.ShouldBe("Never");
            job.Spec.BackoffLimit.ShouldNotBeNull();
            job.Spec.ActiveDeadlineSeconds.ShouldNotBeNull();
            rendered.EnvironmentOf(deployment.Spec.Template.Spec.Containers[0]).ShouldNotContainKey("ConnectionStrings__DatabaseOwner",
                $"{service}'s replicas would migrate at start; the Job does it once");
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task EveryProcess_SharesTheDataProtectionKeyRingOnAVolumeEveryReplicaMounts(string overlay)
    {
        var rendered = await RenderedOverlay.OfAsync(overlay);
        foreach (var deployment in rendered.All<V1Deployment>())
        {
            var pod = deployment.Spec.Template.Spec;
            var path = rendered.EnvironmentOf(pod.Containers[0])["Msp__DataProtection__KeysPath"].Value;
            var mount = pod.Containers[0].VolumeMounts.SingleOrDefault(m => m.MountPath == path).ShouldNotBeNull($"{deployment.Metadata.Name} keeps its keys in its own file system");
            SharedClaim(rendered, pod.Volumes.Single(v => v.Name == mount.Name)).Metadata.Name.ShouldBe("msp-data-protection");
        }

        var tickets = rendered.All<V1Deployment>().Single(d => d.Metadata.Name == "tickets").Spec.Template.Spec;
        var attachments = rendered.EnvironmentOf(tickets.Containers[0])["Msp__Tickets__AttachmentsPath"].Value;
        var attachmentsMount = tickets.Containers[0].VolumeMounts.Single(m => m.MountPath == attachments);
        SharedClaim(rendered, tickets.Volumes.Single(v => v.Name == attachmentsMount.Name));
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task EveryPod_ExportsTelemetryToTheCollectorTheOverlayNames(string overlay)
    {
        var rendered = await RenderedOverlay.OfAsync(overlay);
        var common = rendered.ConfigMap("msp-common").Data;
        common["OTEL_RESOURCE_ATTRIBUTES"].ShouldBe($"deployment.environment={overlay}", "the overlay's patch of msp-common");
        Uri.TryCreate(common["OTEL_EXPORTER_OTLP_ENDPOINT"], UriKind.Absolute, out _).ShouldBeTrue();

        foreach (var (owner, template) in rendered.PodTemplates)
        {
            var env = rendered.EnvironmentOf(template.Spec.Containers[0]);
            env["OTEL_EXPORTER_OTLP_ENDPOINT"].Value.ShouldBe(common["OTEL_EXPORTER_OTLP_ENDPOINT"], owner);
            env.ShouldContainKey("OTEL_SERVICE_NAME", owner);
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task EveryImage_NamesARegistryAndATag(string overlay)
    {
        foreach (var (owner, template) in (await RenderedOverlay.OfAsync(overlay)).PodTemplates)
        {
            var image = template.Spec.Containers[0].Image;
            // As Docker reads a name: its first part is a registry if it has a dot or a port, or is localhost.
            var first = image.Split('/')[0];
            (image.Contains('/') && (first.Contains('.') || first.Contains(':') || first == "localhost"))
                .ShouldBeTrue($"{owner}: {image} names no registry (the overlay's images: newName)");
            image.ShouldMatch(@":[\w][\w.-]*$", $"{owner}: {image} has no tag");
            image.ShouldNotEndWith(":latest", owner);
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task TheGateway_HasAnAddressForEveryClusterOfItsRouteTableAndEachIsAService(string overlay)
    {
        var rendered = await RenderedOverlay.OfAsync(overlay);
        var gateway = rendered.EnvironmentOf(rendered.All<V1Deployment>().Single(d => d.Metadata.Name == "gateway").Spec.Template.Spec.Containers[0]);
        var clusters = GatewayRouteTable.ClusterIds().Union(Deployables.BehindGateway);

        foreach (var cluster in clusters)
        {
            var address = new Uri(gateway.ShouldContainKeyAndGet($"ReverseProxy__Clusters__{cluster}__Destinations__d1__Address").Value);
            var service = rendered.All<V1Service>().SingleOrDefault(s => s.Metadata.Name == address.Host).ShouldNotBeNull($"{cluster}: no Service {address.Host}");
            service.Spec.Ports.ShouldContain(p => p.Port == address.Port, $"{cluster}: Service {address.Host} has no port {address.Port}");
            rendered.All<V1Deployment>().ShouldContain(d => Labels.Match(new V1LabelSelector { MatchLabels = service.Spec.Selector }, d.Spec.Template.Metadata.Labels));
        }
    }

    internal static IEnumerable<V1Container> Containers(V1PodTemplateSpec template) =>
        template.Spec.Containers.Concat(template.Spec.InitContainers ?? []);

    private static V1PersistentVolumeClaim SharedClaim(RenderedOverlay rendered, V1Volume volume)
    {
        var name = volume.PersistentVolumeClaim.ShouldNotBeNull($"volume {volume.Name} is not a claim").ClaimName;
        var claim = rendered.All<V1PersistentVolumeClaim>().SingleOrDefault(c => c.Metadata.Name == name).ShouldNotBeNull($"no claim {name}");
        claim.Spec.AccessModes.ShouldContain("ReadWriteMany", $"{name}: every replica mounts it at once");
        return claim;
    }
}

internal static class DictionaryAssertions
{
    public static TValue ShouldContainKeyAndGet<TValue>(this IDictionary<string, TValue> dictionary, string key)
    {
        dictionary.ShouldContainKey(key);
        return dictionary[key];
    }
}
