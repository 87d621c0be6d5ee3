using System.Data.Common;
using k8s.Models;

namespace Msp.Deployment.Tests.K8s;

/// <summary>The databases (a CloudNativePG Cluster per service) and RabbitMQ (a RabbitmqCluster), and how the pods
/// reach them.</summary>
public class DataServicesTests
{
    public static TheoryData<string> Overlays => new() { "dev", "production" };

    [Theory, MemberData(nameof(Overlays))]
    public async Task EveryServiceDatabase_IsACloudNativePgClusterOfItsOwn(string overlay)
    {
        var rendered = await RenderedOverlay.OfAsync(overlay);
        var clusters = rendered.All<CnpgCluster>().ToList();
        clusters.Select(c => c.Metadata.Name).Order().ShouldBe(Deployables.WithDatabase.Select(s => $"{s}-db").Order());

        foreach (var service in Deployables.WithDatabase)
        {
            var env = rendered.EnvironmentOf(rendered.All<V1Deployment>().Single(d => d.Metadata.Name == service).Spec.Template.Spec.Containers[0]);
            var connection = new DbConnectionStringBuilder { ConnectionString = env["ConnectionStrings__Database"].Value };
            var host = (string)connection["Host"];
            host.ShouldEndWith("-rw", customMessage: $"{service} must write to the primary (<cluster>-rw)");
            var cluster = clusters.SingleOrDefault(c => c.Metadata.Name == host[..^3]).ShouldNotBeNull($"{service} connects to {host}, which no Cluster serves");
            var database = (string)connection["Database"];
            var initdb = cluster.Spec!.Bootstrap!.Initdb.ShouldNotBeNull();

            initdb.Database.ShouldBe(database);
            initdb.Owner.ShouldBe($"{database}_owner");
            initdb.Secret.ShouldNotBeNull().Name.ShouldBe($"{cluster.Metadata.Name}-owner");
            connection["Username"].ShouldBe($"{database}_app", $"{service} must connect as the role that does not own the tables");
            var role = cluster.Spec.Managed!.Roles.ShouldHaveSingleItem();
            (role.Name, role.Ensure, role.Login, role.Inherit).ShouldBe(($"{database}_app", "present", true, false));
            role.PasswordSecret.ShouldNotBeNull().Name.ShouldBe($"{cluster.Metadata.Name}-app");
            cluster.Spec.EnableSuperuserAccess.ShouldBe(false);
            cluster.Spec.Resources.ShouldNotBeNull().Limits.ShouldContainKey("memory");
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task TheDatabaseClusters_HaveThreeInstancesAndBackupsInProductionAndOneInDev(string overlay)
    {
        var rendered = await RenderedOverlay.OfAsync(overlay);
        foreach (var cluster in rendered.All<CnpgCluster>())
        {
            if (overlay == "dev")
            {
                cluster.Spec!.Instances.ShouldBe(1);
                continue;
            }

            cluster.Spec!.Instances.ShouldBe(3, cluster.Metadata.Name);
            cluster.Spec.Affinity.ShouldNotBeNull().EnablePodAntiAffinity.ShouldBe(true);
            var store = cluster.Spec.Backup.ShouldNotBeNull($"{cluster.Metadata.Name} has no backups").BarmanObjectStore.ShouldNotBeNull();
            store.DestinationPath.ShouldNotBeNull().ShouldStartWith("s3://");
            var credentials = store.S3Credentials.ShouldNotBeNull();
            (credentials.AccessKeyId!.Name, credentials.SecretAccessKey!.Name).ShouldBe(("msp-backup-s3", "msp-backup-s3"));
            cluster.Spec.Backup.RetentionPolicy.ShouldNotBeNullOrEmpty();
            var nightly = rendered.All<CnpgScheduledBackup>().SingleOrDefault(b => b.Spec!.Cluster!.Name == cluster.Metadata.Name)
                .ShouldNotBeNull($"{cluster.Metadata.Name} has no scheduled base backup");
            nightly.Spec!.Schedule.Split(' ').Length.ShouldBe(6, "CloudNativePG schedules have a seconds field");
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task RabbitMq_IsOneOperatorClusterWithThreeNodesInProductionAndEveryClientAsksForQuorumQueues(string overlay)
    {
        var rendered = await RenderedOverlay.OfAsync(overlay);
        var rabbitmq = rendered.All<RabbitmqCluster>().ShouldHaveSingleItem();
        rabbitmq.Spec!.Replicas.ShouldBe(overlay == "production" ? 3 : 1);
        rabbitmq.Spec.Resources.ShouldNotBeNull().Limits.ShouldContainKey("memory");

        var clients = rendered.PodTemplates.Where(t => rendered.EnvironmentOf(t.Template.Spec.Containers[0]).ContainsKey("ConnectionStrings__RabbitMq")).ToList();
        clients.Count.ShouldBeGreaterThanOrEqualTo(Deployables.BehindGateway.Length);
        foreach (var (owner, template) in clients)
        {
            var env = rendered.EnvironmentOf(template.Spec.Containers[0]);
            var uri = new Uri(env["ConnectionStrings__RabbitMq"].Value);
            (uri.Scheme, uri.Host, uri.Port).ShouldBe(("amqp", rabbitmq.Metadata.Name, 5672), owner);
            env["Msp__Messaging__QuorumQueues"].Value.ShouldBe("true", owner);
        }
    }
}
