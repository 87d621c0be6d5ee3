using System.Data.Common;
using System.Text.RegularExpressions;
using Msp.Deployment.Tests.Dockerfiles;
using Msp.Deployment.Tests.K8s;
using Xunit.Abstractions;

namespace Msp.Deployment.Tests.Compose;

/// <summary>compose.yaml: validated by Compose itself offline (<c>config</c> needs no engine), and read for what the
/// services need: their connection strings, the shared key ring, the gateway's addresses, one published port.</summary>
public partial class ComposeTests(ITestOutputHelper output)
{
    private readonly ComposeFile compose = ComposeFile.Read();

    [Fact]
    public async Task Compose_AcceptsTheFileWithTheExampleEnvironmentAndRefusesItWithoutTheSecrets()
    {
        var (file, prefix) = await Tools.ComposeAsync();
        var version = await Command.RunAsync(file, [.. prefix, "version"]);
        output.WriteLine($"validated with: {file} {string.Join(' ', prefix)} ({version.Output.Split('\n')[0].Trim()})");

        var valid = await Command.RunAsync(file, [.. prefix, "--env-file", ".env.example", "-f", "compose.yaml", "config"]);
        valid.ExitCode.ShouldBe(0, valid.Describe("compose config with .env.example"));
        output.WriteLine(valid.Error);
        valid.Output.ShouldContain("Host=postgres;Database=msp_tickets;Username=msp_tickets_app;Password=change-me");

        var empty = Path.GetTempFileName();
        try
        {
            var refused = await Command.RunAsync(file, [.. prefix, "--env-file", empty, "-f", "compose.yaml", "config"],
                environment: new Dictionary<string, string?> { ["POSTGRES_PASSWORD"] = null, ["RABBITMQ_PASSWORD"] = null, ["MSP_ADMIN_PASSWORD"] = null });
            refused.ExitCode.ShouldNotBe(0, "a missing password must stop compose, not start a server without one");
            refused.Error.ShouldContain("in .env");
        }
        finally
        {
            File.Delete(empty);
        }
    }

    [Fact]
    public void EveryServiceThatBuilds_UsesADockerfileThatExistsAndEveryDockerfileIsBuilt()
    {
        foreach (var service in compose.Built)
        {
            var build = (Dictionary<object, object>)compose.Service(service)["build"];
            build["context"].ShouldBe(".", $"{service}: the Dockerfiles expect the repository root as their context");
            File.Exists(Repository.PathOf((string)build["dockerfile"])).ShouldBeTrue($"{service}: {build["dockerfile"]} does not exist");
            ((string)compose.Service(service)["image"]).ShouldEndWith($"/{service}:${{MSP_TAG:-local}}");
        }

        compose.Built.Select(s => (string)((Dictionary<object, object>)compose.Service(s)["build"])["dockerfile"])
            .ShouldBe(Dockerfile.All().Select(d => d.Path), ignoreOrder: true);
        compose.Built.ShouldBe(Deployables.All, ignoreOrder: true);
    }

    [Fact]
    public void OnlyTheGateway_PublishesAPortAndOnLoopbackUnlessTold()
    {
        compose.Services.Where(s => ((Dictionary<object, object>)s.Value).ContainsKey("ports")).Select(s => (string)s.Key).ShouldBe(["gateway"]);
        ComposeFile.List(compose.Service("gateway"), "ports").ShouldHaveSingleItem().ShouldBe("${MSP_GATEWAY_BIND:-127.0.0.1}:${MSP_GATEWAY_PORT:-8080}:8080");
    }

    [Fact]
    public void EveryProcess_GetsWhatItReadsAndTheKeyRingOnASharedVolume()
    {
        foreach (var service in compose.Built)
        {
            var env = compose.Environment(service);
            env["ASPNETCORE_ENVIRONMENT"].ShouldBe("Production", service);
            env["Msp__Messaging__QuorumQueues"].ShouldBe("true", service);
            env.ShouldContainKey("OTEL_EXPORTER_OTLP_ENDPOINT", service);
            ComposeFile.List(compose.Service(service), "volumes").ShouldContain($"keys:{env["Msp__DataProtection__KeysPath"]}", service);

            var settings = compose.Service(service);
            settings["read_only"].ShouldBe("true", service);
            ComposeFile.List(settings, "tmpfs").ShouldBe(["/tmp"], service);
            ComposeFile.List(settings, "cap_drop").ShouldBe(["ALL"], service);
            ComposeFile.List(settings, "security_opt").ShouldContain("no-new-privileges:true", service);
        }

        foreach (var service in Deployables.BehindGateway)
        {
            compose.Environment(service)["ConnectionStrings__RabbitMq"].ShouldMatch(@"^amqp://\$\{RABBITMQ_USER[^@]*\}:\$\{RABBITMQ_PASSWORD[^@]*\}@rabbitmq:5672/$", service);
        }

        compose.Environment("tenants").ShouldContainKey("MSP_ADMIN_PASSWORD");
        var attachments = compose.Environment("tickets")["Msp__Tickets__AttachmentsPath"];
        ComposeFile.List(compose.Service("tickets"), "volumes").ShouldContain($"attachments:{attachments}");
        foreach (var side in new[] { "Smtp", "Imap" })
        {
            foreach (var setting in new[] { "Host", "Port", "Security", "Username", "Password" })
            {
                compose.Environment("mail").ShouldContainKey($"Msp__Mail__{side}__{setting}");
            }
        }
    }

    [Fact]
    public void EveryServiceWithADatabase_ConnectsAsItsApplicationRoleAndMigratesAsItsOwner()
    {
        var postgres = compose.Environment("postgres");
        var databases = postgres["MSP_DATABASES"].Split(' ');
        databases.ShouldBe(Deployables.WithDatabase.Select(s => $"msp_{s}"), ignoreOrder: true);

        foreach (var service in Deployables.WithDatabase)
        {
            var env = compose.Environment(service);
            var database = $"msp_{service}";
            foreach (var (key, role) in new[] { ("ConnectionStrings__Database", "app"), ("ConnectionStrings__DatabaseOwner", "owner") })
            {
                var connection = new DbConnectionStringBuilder { ConnectionString = env[key] };
                (connection["Host"], connection["Database"], connection["Username"]).ShouldBe(("postgres", database, $"{database}_{role}"), $"{service} {key}");
                var password = $"{database.ToUpperInvariant()}_{role.ToUpperInvariant()}_PASSWORD";
                connection["Password"].ShouldBe($"${{{password}}}", $"{service} {key}");
                postgres.ShouldContainKey(password, $"the init script makes {database}_{role} with {password}");
            }
        }

        var mounts = ComposeFile.List(compose.Service("postgres"), "volumes").ToList();
        mounts.ShouldContain("./infra/compose/postgres-init.sh:/docker-entrypoint-initdb.d/10-msp.sh:ro");
        mounts.ShouldContain("./infra/sql:/msp-sql:ro");
        File.Exists(Repository.PathOf("infra/compose/postgres-init.sh")).ShouldBeTrue();
    }

    [Fact]
    public void TheGateway_HasAnAddressForEveryClusterOfItsRouteTableAndWaitsForThem()
    {
        var env = compose.Environment("gateway");
        var dependsOn = (Dictionary<object, object>)compose.Service("gateway")["depends_on"];
        foreach (var cluster in GatewayRouteTable.ClusterIds().Union(Deployables.BehindGateway))
        {
            var address = new Uri(env[$"ReverseProxy__Clusters__{cluster}__Destinations__d1__Address"]);
            compose.Services.ShouldContainKey(address.Host, $"cluster {cluster} points at {address.Host}, which compose does not run");
            address.Port.ShouldBe(8080);
            dependsOn.ShouldContainKey(address.Host);
        }
    }

    /// <summary>The mail server keeps mail to the support address in a mailbox of its own, opened by the IMAP user the
    /// mail service reads with (as infra/mail.sh does on this machine); the service's notifications to people stay out
    /// of it.</summary>
    [Fact]
    public void TheMailServer_KeepsTheSupportAddressInTheMailboxTheMailServiceReads()
    {
        var server = compose.Environment("mailserver");
        var mail = compose.Environment("mail");
        server["ServerOptions__Users__0__Username"].ShouldBe(mail["Msp__Mail__Imap__Username"]);
        server["ServerOptions__Users__0__Password"].ShouldBe(mail["Msp__Mail__Imap__Password"]);
        server["ServerOptions__Users__0__DefaultMailbox"].ShouldBe(server["ServerOptions__Mailboxes__0__Name"]);
        server["ServerOptions__Mailboxes__0__Recipients"].ShouldBe(mail["Msp__Mail__SupportAddress"]);
        server["ServerOptions__DeliverMessagesToUsersDefaultMailbox"].ShouldBe("false");
        mail["Msp__Mail__PortalUrl"].ShouldStartWith("${MSP_PORTAL_URL");
    }

    [Fact]
    public void EverySecretComposeNeeds_IsInTheExampleEnvironmentAndTheRealOneIsNeverCommitted()
    {
        var example = File.ReadAllLines(Repository.PathOf(".env.example")).Where(l => l.Contains('=') && !l.StartsWith('#'))
            .ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);
        foreach (Match required in RequiredVariable().Matches(Repository.Read("compose.yaml")))
        {
            example.ShouldContainKey(required.Groups[1].Value, $".env.example does not set {required.Groups[1].Value}, which compose.yaml requires");
        }

        example.Where(e => e.Key.Contains("PASSWORD")).ShouldAllBe(e => e.Value == "change-me");
        File.ReadAllLines(Repository.PathOf(".gitignore")).ShouldContain(".env");
        BuildContext.OfRepository().Includes(".env").ShouldBeFalse("the build context must not carry the secrets");
    }

    [GeneratedRegex(@"\$\{([A-Z_][A-Z0-9_]*):\?")]
    private static partial Regex RequiredVariable();
}
