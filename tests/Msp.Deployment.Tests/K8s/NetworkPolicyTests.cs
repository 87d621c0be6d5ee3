using System.Net;
using k8s.Models;

namespace Msp.Deployment.Tests.K8s;

/// <summary>Deny by default; allow ingress controller → gateway, gateway → web and services, web → gateway, each
/// service → its own database and RabbitMQ, mail → SMTP and IMAP outside, DNS for all. Evaluated over the rendered
/// policies (<see cref="NetworkPolicies"/>), pod by pod.</summary>
public class NetworkPolicyTests
{
    private static readonly IPAddress Outside = IPAddress.Parse("203.0.113.10"); // a documentation address: never contacted

    public static TheoryData<string> Overlays => new() { "dev", "production" };

    [Theory, MemberData(nameof(Overlays))]
    public async Task ThereIsADefaultDenyForEveryPodAndDnsForAll(string overlay)
    {
        var policies = (await RenderedOverlay.OfAsync(overlay)).All<V1NetworkPolicy>().ToList();

        policies.ShouldContain(p => Labels.IsEmpty(p.Spec.PodSelector) && p.Spec.PolicyTypes.Contains("Ingress") && p.Spec.PolicyTypes.Contains("Egress") &&
            (p.Spec.Ingress == null || p.Spec.Ingress.Count == 0) && (p.Spec.Egress == null || p.Spec.Egress.Count == 0), "no default-deny policy");
        policies.ShouldContain(p => Labels.IsEmpty(p.Spec.PodSelector) && (p.Spec.Egress ?? new List<V1NetworkPolicyEgressRule>()).Any(r =>
            r.Ports.Any(port => port.Port.Value == "53" && port.Protocol == "UDP")), "no DNS egress for all pods");
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task EveryPod_IsSelectedByAPolicyOfItsOwnBesideTheDefaultDeny(string overlay)
    {
        var rendered = await RenderedOverlay.OfAsync(overlay);
        foreach (var (owner, template) in rendered.PodTemplates)
        {
            rendered.All<V1NetworkPolicy>().Where(p => !Labels.IsEmpty(p.Spec.PodSelector))
                .ShouldContain(p => Labels.Match(p.Spec.PodSelector, template.Metadata.Labels), $"{owner} is selected by no policy of its own");
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task OnlyTheGateway_IsReachedFromOutsideTheNamespace(string overlay)
    {
        var rendered = await RenderedOverlay.OfAsync(overlay);
        var policies = new NetworkPolicies(rendered.All<V1NetworkPolicy>());
        foreach (var (owner, template) in rendered.PodTemplates)
        {
            policies.FromOtherNamespaces(template.Metadata.Labels, 8080).ShouldBe(owner == "Deployment/gateway", owner);
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task TrafficBetweenPods_FollowsTheAllowList(string overlay)
    {
        var rendered = await RenderedOverlay.OfAsync(overlay);
        var policies = new NetworkPolicies(rendered.All<V1NetworkPolicy>());
        IDictionary<string, string> Pod(string owner) => rendered.PodTemplates.Single(t => t.Owner == owner).Template.Metadata.Labels;
        var rabbitmq = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "rabbitmq", ["app.kubernetes.io/component"] = "rabbitmq" };
        Dictionary<string, string> Database(string service) => new() { ["cnpg.io/cluster"] = $"{service}-db", ["cnpg.io/podRole"] = "instance" };
        var gateway = Pod("Deployment/gateway");

        foreach (var target in Deployables.BehindGateway)
        {
            policies.PodToPod(gateway, Pod($"Deployment/{target}"), 8080).ShouldBeTrue($"gateway -> {target}");
            foreach (var other in Deployables.BehindGateway.Where(o => o != target))
            {
                policies.PodToPod(Pod($"Deployment/{other}"), Pod($"Deployment/{target}"), 8080).ShouldBeFalse($"{other} -> {target} bypasses the gateway");
            }
        }

        policies.PodToPod(Pod("Deployment/web"), gateway, 8080).ShouldBeTrue("web -> gateway");
        policies.PodToPod(gateway, rabbitmq, 5672).ShouldBeFalse("gateway -> rabbitmq");
        policies.PodToPod(Pod("Deployment/web"), rabbitmq, 5672).ShouldBeTrue("web -> rabbitmq (live updates)");

        foreach (var service in Deployables.WithDatabase)
        {
            policies.PodToPod(Pod($"Deployment/{service}"), rabbitmq, 5672).ShouldBeTrue($"{service} -> rabbitmq");
            policies.PodToPod(Pod($"Deployment/{service}"), Database(service), 5432).ShouldBeTrue($"{service} -> its database");
            policies.PodToPod(Pod($"Job/{service}-migrate"), Database(service), 5432).ShouldBeTrue($"{service}-migrate -> its database");
            policies.PodToPod(Pod($"Job/{service}-migrate"), rabbitmq, 5672).ShouldBeFalse($"{service}-migrate needs no broker");
            policies.PodToPod(gateway, Database(service), 5432).ShouldBeFalse($"gateway -> {service}'s database");
            foreach (var other in Deployables.WithDatabase.Where(o => o != service))
            {
                policies.PodToPod(Pod($"Deployment/{service}"), Database(other), 5432).ShouldBeFalse($"{service} -> {other}'s database");
            }
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task OnlyMail_ReachesMailServersOutside(string overlay)
    {
        var rendered = await RenderedOverlay.OfAsync(overlay);
        var policies = new NetworkPolicies(rendered.All<V1NetworkPolicy>());
        foreach (var (owner, template) in rendered.PodTemplates)
        {
            foreach (var port in new[] { 25, 465, 587, 143, 993 })
            {
                policies.PodToAddress(template.Metadata.Labels, Outside, port).ShouldBe(owner == "Deployment/mail", $"{owner} -> {Outside}:{port}");
            }

            policies.PodToAddress(template.Metadata.Labels, Outside, 80).ShouldBeFalse($"{owner} -> {Outside}:80");
        }
    }
}
