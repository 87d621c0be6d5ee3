using YamlDotNet.Serialization;
using k8s;
using k8s.Models;

namespace Msp.Deployment.Tests.K8s;

/// <summary>Typed models of the operators' kinds we write: CloudNativePG's Cluster and ScheduledBackup
/// (postgresql.cnpg.io/v1) and the RabbitMQ cluster operator's RabbitmqCluster (rabbitmq.com/v1beta1). Only the fields
/// our manifests use, named as in the operators' API references; read strictly, so that a misspelt or unknown field
/// fails as it would for a built-in kind. KubernetesClient has no models of them, and their CRD schemas are not here
/// to validate against.</summary>
public static class OperatorKinds
{
    public static readonly IDictionary<string, Type> TypeMap = new Dictionary<string, Type>
    {
        ["postgresql.cnpg.io/v1/Cluster"] = typeof(CnpgCluster),
        ["postgresql.cnpg.io/v1/ScheduledBackup"] = typeof(CnpgScheduledBackup),
        ["rabbitmq.com/v1beta1/RabbitmqCluster"] = typeof(RabbitmqCluster),
    };
}

public abstract class OperatorObject<TSpec> : IKubernetesObject<V1ObjectMeta>
{
    [YamlMember(Alias = "apiVersion")] public string ApiVersion { get; set; } = "";
    [YamlMember(Alias = "kind")] public string Kind { get; set; } = "";
    [YamlMember(Alias = "metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [YamlMember(Alias = "spec")] public TSpec? Spec { get; set; }
}

public sealed class CnpgCluster : OperatorObject<CnpgClusterSpec>;

public sealed class CnpgClusterSpec
{
    [YamlMember(Alias = "instances")] public int Instances { get; set; }
    [YamlMember(Alias = "imageName")] public string? ImageName { get; set; }
    [YamlMember(Alias = "primaryUpdateStrategy")] public string? PrimaryUpdateStrategy { get; set; }
    [YamlMember(Alias = "enableSuperuserAccess")] public bool? EnableSuperuserAccess { get; set; }
    [YamlMember(Alias = "storage")] public CnpgStorage? Storage { get; set; }
    [YamlMember(Alias = "resources")] public V1ResourceRequirements? Resources { get; set; }
    [YamlMember(Alias = "postgresql")] public CnpgPostgresConfiguration? Postgresql { get; set; }
    [YamlMember(Alias = "bootstrap")] public CnpgBootstrap? Bootstrap { get; set; }
    [YamlMember(Alias = "managed")] public CnpgManaged? Managed { get; set; }
    [YamlMember(Alias = "affinity")] public CnpgAffinity? Affinity { get; set; }
    [YamlMember(Alias = "backup")] public CnpgBackup? Backup { get; set; }
}

public sealed class CnpgStorage
{
    [YamlMember(Alias = "size")] public string? Size { get; set; }
    [YamlMember(Alias = "storageClass")] public string? StorageClass { get; set; }
}

public sealed class CnpgPostgresConfiguration
{
    [YamlMember(Alias = "parameters")] public Dictionary<string, string> Parameters { get; set; } = [];
}

public sealed class CnpgBootstrap
{
    [YamlMember(Alias = "initdb")] public CnpgInitDb? Initdb { get; set; }
}

public sealed class CnpgInitDb
{
    [YamlMember(Alias = "database")] public string? Database { get; set; }
    [YamlMember(Alias = "owner")] public string? Owner { get; set; }
    [YamlMember(Alias = "secret")] public LocalReference? Secret { get; set; }
    [YamlMember(Alias = "postInitApplicationSQL")] public List<string> PostInitApplicationSql { get; set; } = [];
}

public sealed class CnpgManaged
{
    [YamlMember(Alias = "roles")] public List<CnpgRole> Roles { get; set; } = [];
}

public sealed class CnpgRole
{
    [YamlMember(Alias = "name")] public string Name { get; set; } = "";
    [YamlMember(Alias = "ensure")] public string? Ensure { get; set; }
    [YamlMember(Alias = "login")] public bool? Login { get; set; }
    [YamlMember(Alias = "inherit")] public bool? Inherit { get; set; }
    [YamlMember(Alias = "passwordSecret")] public LocalReference? PasswordSecret { get; set; }
}

public sealed class CnpgAffinity
{
    [YamlMember(Alias = "enablePodAntiAffinity")] public bool? EnablePodAntiAffinity { get; set; }
    [YamlMember(Alias = "podAntiAffinityType")] public string? PodAntiAffinityType { get; set; }
    [YamlMember(Alias = "topologyKey")] public string? TopologyKey { get; set; }
}

public sealed class CnpgBackup
{
    [YamlMember(Alias = "retentionPolicy")] public string? RetentionPolicy { get; set; }
    [YamlMember(Alias = "barmanObjectStore")] public CnpgBarmanObjectStore? BarmanObjectStore { get; set; }
}

public sealed class CnpgBarmanObjectStore
{
    [YamlMember(Alias = "destinationPath")] public string? DestinationPath { get; set; }
    [YamlMember(Alias = "endpointURL")] public string? EndpointUrl { get; set; }
    [YamlMember(Alias = "s3Credentials")] public CnpgS3Credentials? S3Credentials { get; set; }
    [YamlMember(Alias = "wal")] public CnpgCompression? Wal { get; set; }
    [YamlMember(Alias = "data")] public CnpgCompression? Data { get; set; }
}

public sealed class CnpgS3Credentials
{
    [YamlMember(Alias = "accessKeyId")] public SecretKeyReference? AccessKeyId { get; set; }
    [YamlMember(Alias = "secretAccessKey")] public SecretKeyReference? SecretAccessKey { get; set; }
}

public sealed class CnpgCompression
{
    [YamlMember(Alias = "compression")] public string? Compression { get; set; }
    [YamlMember(Alias = "maxParallel")] public int? MaxParallel { get; set; }
}

public sealed class CnpgScheduledBackup : OperatorObject<CnpgScheduledBackupSpec>;

public sealed class CnpgScheduledBackupSpec
{
    [YamlMember(Alias = "schedule")] public string Schedule { get; set; } = "";
    [YamlMember(Alias = "backupOwnerReference")] public string? BackupOwnerReference { get; set; }
    [YamlMember(Alias = "cluster")] public LocalReference? Cluster { get; set; }
}

public sealed class RabbitmqCluster : OperatorObject<RabbitmqClusterSpec>;

public sealed class RabbitmqClusterSpec
{
    [YamlMember(Alias = "replicas")] public int Replicas { get; set; } = 1;
    [YamlMember(Alias = "image")] public string? Image { get; set; }
    [YamlMember(Alias = "resources")] public V1ResourceRequirements? Resources { get; set; }
    [YamlMember(Alias = "persistence")] public RabbitmqPersistence? Persistence { get; set; }
    [YamlMember(Alias = "rabbitmq")] public RabbitmqConfiguration? Rabbitmq { get; set; }
    [YamlMember(Alias = "affinity")] public V1Affinity? Affinity { get; set; }
}

public sealed class RabbitmqPersistence
{
    [YamlMember(Alias = "storage")] public ResourceQuantity? Storage { get; set; }
    [YamlMember(Alias = "storageClassName")] public string? StorageClassName { get; set; }
}

public sealed class RabbitmqConfiguration
{
    [YamlMember(Alias = "additionalConfig")] public string? AdditionalConfig { get; set; }
}

public sealed class LocalReference
{
    [YamlMember(Alias = "name")] public string Name { get; set; } = "";
}

public sealed class SecretKeyReference
{
    [YamlMember(Alias = "name")] public string Name { get; set; } = "";
    [YamlMember(Alias = "key")] public string Key { get; set; } = "";
}
