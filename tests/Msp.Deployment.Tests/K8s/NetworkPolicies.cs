using System.Net;
using k8s.Models;

namespace Msp.Deployment.Tests.K8s;

/// <summary>What the NetworkPolicies of one namespace allow, evaluated as Kubernetes does: a pod selected by no policy
/// of a direction is open in that direction; otherwise traffic passes only if some policy selecting the pod allows it,
/// on the sender's egress side and the receiver's ingress side. Peers here are pods of the same namespace (a peer
/// with a namespaceSelector is another namespace) or addresses outside the cluster (ipBlock).</summary>
public sealed class NetworkPolicies(IEnumerable<V1NetworkPolicy> policies)
{
    private readonly List<V1NetworkPolicy> all = [.. policies];

    public IReadOnlyList<V1NetworkPolicy> All => all;

    public bool PodToPod(IDictionary<string, string> from, IDictionary<string, string> to, int port) =>
        EgressAllows(from, peer => peer.NamespaceSelector is null && peer.PodSelector is not null && Labels.Match(peer.PodSelector, to), port) &&
        IngressAllows(to, peer => peer.NamespaceSelector is null && peer.PodSelector is not null && Labels.Match(peer.PodSelector, from), port);

    public bool PodToAddress(IDictionary<string, string> from, IPAddress address, int port) =>
        EgressAllows(from, peer => peer.IpBlock is { } block && Within(address, block.Cidr) && !(block.Except ?? []).Any(e => Within(address, e)), port);

    /// <summary>Whether pods of another namespace (such as the ingress controller's) may reach these pods.</summary>
    public bool FromOtherNamespaces(IDictionary<string, string> to, int port) =>
        IngressAllows(to, peer => peer.NamespaceSelector is not null || peer.IpBlock is not null, port);

    private bool EgressAllows(IDictionary<string, string> pod, Func<V1NetworkPolicyPeer, bool> matches, int port)
    {
        var selecting = all.Where(p => Has(p, "Egress") && Labels.Match(p.Spec.PodSelector, pod)).ToList();
        return selecting.Count == 0 || selecting.SelectMany(p => p.Spec.Egress ?? []).Any(rule =>
            Ports(rule.Ports, port) && (rule.To is null || rule.To.Count == 0 || rule.To.Any(matches)));
    }

    private bool IngressAllows(IDictionary<string, string> pod, Func<V1NetworkPolicyPeer, bool> matches, int port)
    {
        var selecting = all.Where(p => Has(p, "Ingress") && Labels.Match(p.Spec.PodSelector, pod)).ToList();
        return selecting.Count == 0 || selecting.SelectMany(p => p.Spec.Ingress ?? []).Any(rule =>
            Ports(rule.Ports, port) && (rule.FromProperty is null || rule.FromProperty.Count == 0 || rule.FromProperty.Any(matches)));
    }

    private static bool Has(V1NetworkPolicy policy, string type) =>
        policy.Spec.PolicyTypes?.Contains(type) ?? (type == "Ingress" || (type == "Egress" && policy.Spec.Egress is not null));

    private static bool Ports(IList<V1NetworkPolicyPort>? ports, int port) =>
        ports is null || ports.Count == 0 || ports.Any(p => p.Port is null || (int.TryParse(p.Port.Value, out var n) && (n == port || (p.EndPort is { } end && port >= n && port <= end))));

    private static bool Within(IPAddress address, string cidr)
    {
        var network = IPNetwork.Parse(cidr);
        return network.Contains(address);
    }
}

/// <summary>Kubernetes label selectors.</summary>
public static class Labels
{
    public static bool Match(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        labels ??= new Dictionary<string, string>();
        if (selector is null)
        {
            return false;
        }

        return (selector.MatchLabels ?? new Dictionary<string, string>()).All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value) &&
            (selector.MatchExpressions ?? []).All(e => e.OperatorProperty switch
            {
                "In" => labels.TryGetValue(e.Key, out var v) && e.Values.Contains(v),
                "NotIn" => !labels.TryGetValue(e.Key, out var v) || !e.Values.Contains(v),
                "Exists" => labels.ContainsKey(e.Key),
                "DoesNotExist" => !labels.ContainsKey(e.Key),
                _ => throw new ShouldAssertException($"unknown selector operator {e.OperatorProperty}"),
            });
    }

    public static bool IsEmpty(V1LabelSelector? selector) =>
        selector is null || ((selector.MatchLabels?.Count ?? 0) == 0 && (selector.MatchExpressions?.Count ?? 0) == 0);
}
