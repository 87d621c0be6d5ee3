using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Msp.Testing;

/// <summary>The whole platform as it runs for real: every service, the web app and the gateway as separate processes
/// built from this checkout, each with its own database, on one RabbitMQ virtual host, reached only through the
/// gateway (the end-to-end and the browser tests share it as a collection fixture).</summary>
public sealed class Platform : IAsyncLifetime
{
    public static readonly string[] Services = ["tenants", "tickets", "slas", "billing", "mail"];

    /// <summary>A second Tickets process on the same database and broker, behind the same cluster as the first: every
    /// test runs against two replicas of Tickets, and the gateway balances between them.</summary>
    public const string TicketsReplica = "tickets-2";

    /// <summary>Processes of each service and of the web app: <c>MSP_TEST_REPLICAS</c> (1 by default; Tickets has at
    /// least two), so that the end-to-end and browser suites can run against several replicas of everything, as
    /// <c>./msp up --replicas N</c> starts them.</summary>
    public static readonly int Replicas =
        int.TryParse(Environment.GetEnvironmentVariable("MSP_TEST_REPLICAS"), out var replicas) && replicas is >= 1 and <= 9 ? replicas : 1;

    /// <summary>The processes of one service or of the web app: <c>tickets</c>, <c>tickets-2</c>, …</summary>
    public static IEnumerable<string> ProcessesOf(string service) =>
        Enumerable.Range(1, service == "tickets" ? Math.Max(2, Replicas) : Replicas).Select(r => r == 1 ? service : $"{service}-{r}");

    public const string AdminEmail = "admin@e2e.local";
    public const string AdminPassword = "end to end admin password";

    private readonly Dictionary<string, Process> processes = [];

    private readonly Dictionary<string, (int Port, (string Key, string Value)[] Environment)> launches = [];

    public Dictionary<string, TestDatabase> Databases { get; } = [];

    public HttpClient Gateway { get; private set; } = null!;

    public string LogFolder { get; } = Path.Combine(TestServers.RepoRoot, ".msp", "e2e-logs");

    /// <summary>What one process of this platform has logged so far (one JSON object a line).</summary>
    public async Task<string[]> LogOfAsync(string name)
    {
        await using var file = new FileStream(Path.Combine(LogFolder, name + ".log"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(file);
        return (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The key ring every process of this platform shares, as <c>./msp up</c> shares <c>.msp/keys</c>.</summary>
    private readonly string keys = Path.Combine(TestServers.RepoRoot, ".msp", "e2e-keys", Guid.NewGuid().ToString("N"));

    /// <summary>Where the platform's key ring is, for a test that must read what a process protected with it.</summary>
    public string KeysPath => keys;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(LogFolder);
        var rabbit = await TestServers.CreateVirtualHostAsync("e2e");
        var clusters = new List<string>();
        var gatewayPort = FreePort();
        foreach (var service in Services)
        {
            var db = Databases[service] = await TestServers.CreateDatabaseAsync($"e2e_{service}");
            (string, string)[] environment =
            [
                ("ConnectionStrings__Database", db.AppConnectionString),
                ("ConnectionStrings__DatabaseOwner", db.OwnerConnectionString),
                ("ConnectionStrings__RabbitMq", rabbit),
                ("MSP_ADMIN_EMAIL", AdminEmail),
                ("MSP_ADMIN_PASSWORD", AdminPassword),
                // The Mail service sends through the shared test mail server; it reads no mailbox here.
                ("Msp__Mail__Smtp__Port", MailServer.Shared.SmtpPort.ToString()),
                ("Msp__Mail__Smtp__Security", "None"),
                // Its links open the portal through the gateway, as under ./msp up.
                ("Msp__Mail__PortalUrl", $"http://127.0.0.1:{gatewayPort}"),
                // Each request's endpoint, with its correlation id, so that a test can tell which replica served it.
                ("Logging__LogLevel__Microsoft.AspNetCore.Routing.EndpointMiddleware", "Information"),
            ];
            var replica = 0;
            foreach (var name in ProcessesOf(service))
            {
                var port = FreePort();
                Start(name, port, environment);
                clusters.Add($"ReverseProxy__Clusters__{service}__Destinations__d{++replica}__Address=http://127.0.0.1:{port}");
            }
        }

        var web = Databases["web"] = await TestServers.CreateDatabaseAsync("e2e_web");
        var webReplica = 0;
        foreach (var name in ProcessesOf("web"))
        {
            var webPort = FreePort();
            Start(name, webPort,
                ("ConnectionStrings__Database", web.AppConnectionString),
                ("ConnectionStrings__DatabaseOwner", web.OwnerConnectionString),
                ("ConnectionStrings__RabbitMq", rabbit),
                ("Msp__Web__GatewayUrl", $"http://127.0.0.1:{gatewayPort}"),
                // A text missing from a translation renders as ⟦Key⟧, which the browser tests look for.
                ("Msp__Web__MarkMissingText", "true"));
            clusters.Add($"ReverseProxy__Clusters__web__Destinations__d{++webReplica}__Address=http://127.0.0.1:{webPort}");
        }

        // The web app calls the API for the browsers it serves and names their address; the gateway believes it.
        clusters.Add("Msp__Edge__TrustedProxies__0=127.0.0.1");
        Start("gateway", gatewayPort, clusters.Select(c => (c.Split('=')[0], c[(c.IndexOf('=') + 1)..])).ToArray());
        Gateway = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gatewayPort}"), Timeout = TimeSpan.FromSeconds(30) };
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                return (await Gateway.GetAsync("/health/ready")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(180), $"every service reports ready (logs in {LogFolder})"); // as long as ./msp up waits
        // The gateway is ready while one replica of a cluster still starts; the tests want every process.
        foreach (var name in launches.Keys.Where(n => n != "gateway"))
        {
            await ReadyAsync(name);
        }

        await SignInAsAdminAsync();
        await WarmUpAsync();
        foreach (var name in processes.Keys)
        {
            StartLogLines[name] = (await LogOfAsync(name)).Length;
        }
    }

    /// <summary>How many lines each process had logged when the platform was up and warmed up.</summary>
    public Dictionary<string, int> StartLogLines { get; } = [];

    /// <summary>Where a browser opens the portal: the gateway, which serves the web app at <c>/</c>.</summary>
    public Uri PortalUrl => Gateway.BaseAddress!;

    /// <summary>A client of the gateway with no one signed in.</summary>
    public HttpClient Anonymous() => new() { BaseAddress = Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A new tenant, created by the first Admin, once every downstream service has recorded it.</summary>
    public async Task<(Guid Id, string Slug)> CreateTenantAsync()
    {
        var slug = "e" + Guid.NewGuid().ToString("N")[..12];
        var response = await Gateway.PostAsync("/api/tenants", JsonContent.Create(new { name = "Acme " + slug, slug, timeZone = "Europe/Paris", country = "FR" }));
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        foreach (var service in Services.Skip(1))
        {
            await Eventually.HoldsAsync(
                async () => await Databases[service].ScalarAsync<long>("SELECT count(*) FROM known_tenants WHERE id = $1", id) == 1,
                TimeSpan.FromSeconds(10), $"{service} records the tenant");
        }

        return (id, slug);
    }

    /// <summary>The password of every user <see cref="SignedInUserAsync"/> makes.</summary>
    public const string Password = "an end to end password";

    /// <summary>Invites a user as the first Admin (into <paramref name="tenantId"/>, or as staff), accepts the invitation,
    /// assigns a technician to <paramref name="assigned"/>, and signs them in through the gateway.</summary>
    public async Task<(Guid Id, HttpClient Client)> SignedInUserAsync(string role, Guid? tenantId = null, params Guid[] assigned)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@e2e.local";
        var invited = await Gateway.PostAsync(tenantId is { } t ? $"/api/tenants/{t}/users" : "/api/staff",
            JsonContent.Create(new { email, displayName = role + " of the tests", role }));
        invited.EnsureSuccessStatusCode();
        var invitation = await invited.Content.ReadFromJsonAsync<JsonElement>();
        var id = invitation.GetProperty("id").GetGuid();
        var accepted = await Gateway.PostAsync("/api/auth/invitations/accept",
            JsonContent.Create(new { token = invitation.GetProperty("invitationToken").GetString(), password = Password }));
        accepted.EnsureSuccessStatusCode();
        if (role == "Technician")
        {
            (await Gateway.PutAsync($"/api/staff/{id}/tenants", JsonContent.Create(new { allTenants = false, tenantIds = assigned }))).EnsureSuccessStatusCode();
        }

        var client = Anonymous();
        var login = await client.PostAsync("/api/auth/login", JsonContent.Create(new { email, password = Password }));
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return (id, client);
    }

    /// <summary>Tests act as the first Admin unless they say otherwise.</summary>
    private async Task SignInAsAdminAsync()
    {
        var login = await Gateway.PostAsync("/api/auth/login", JsonContent.Create(new { email = AdminEmail, password = AdminPassword }));
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        Gateway.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>The first event after a cold start pays for JIT and for declaring the exchanges (seconds, in a Debug
    /// build on two cores); latency tests measure the running platform, so tenants go through every path first, until
    /// each Tickets process has recorded one (the broker hands each event to one of them), and each Tickets process
    /// answers a first request on its own port.</summary>
    private async Task WarmUpAsync()
    {
        var cold = new HashSet<string>(ProcessesOf("tickets"));
        for (var round = 0; round < 8 && cold.Count > 0; round++)
        {
            var response = await Gateway.PostAsync("/api/tenants", JsonContent.Create(
                new { name = "Warm-up", slug = "w" + Guid.NewGuid().ToString("N")[..12], timeZone = "UTC", country = "FR" }));
            response.EnsureSuccessStatusCode();
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            foreach (var service in Services.Skip(1))
            {
                await Eventually.HoldsAsync(
                    async () => await Databases[service].ScalarAsync<long>("SELECT count(*) FROM known_tenants WHERE id = $1", id) == 1,
                    TimeSpan.FromSeconds(60), $"{service} records the warm-up tenant");
            }

            foreach (var process in cold.ToArray())
            {
                if ((await LogOfAsync(process)).Any(line => line.Contains($"Recorded tenant {id}", StringComparison.Ordinal)))
                {
                    cold.Remove(process);
                }
            }
        }

        foreach (var process in ProcessesOf("tickets"))
        {
            using var direct = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{launches[process].Port}"), Timeout = TimeSpan.FromSeconds(60) };
            direct.DefaultRequestHeaders.Authorization = Gateway.DefaultRequestHeaders.Authorization;
            (await direct.GetAsync("/api/tickets?limit=1")).EnsureSuccessStatusCode();
        }
    }

    /// <summary>Stops one service's process, as a crash or a deployment would.</summary>
    public async Task StopAsync(string name)
    {
        var process = processes[name];
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        processes.Remove(name);
    }

    /// <summary>Starts a stopped service again on its port and database, and waits until it reports ready.</summary>
    public async Task RestartAsync(string name)
    {
        var (port, environment) = launches[name];
        Start(name, port, environment);
        await ReadyAsync(name);
    }

    private async Task ReadyAsync(string name)
    {
        using var probe = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{launches[name].Port}") };
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                return (await probe.GetAsync("/health/ready")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), $"{name} is ready again (logs in {LogFolder})");
    }

    private void Start(string name, int port, params (string Key, string Value)[] environment)
    {
        var again = launches.ContainsKey(name);
        launches[name] = (port, environment);
        var service = name.Split('-')[0]; // "tickets-2" is a second process of Tickets
        var project = service == "gateway" ? "gateway" : $"services/{char.ToUpperInvariant(service[0])}{service[1..]}";
        var assembly = service == "gateway" ? "Msp.Gateway" : $"Msp.{char.ToUpperInvariant(service[0])}{service[1..]}";
        // The same configuration as this test assembly was built in.
        var configuration = AppContext.BaseDirectory.Contains("/Release/") ? "Release" : "Debug";
        var folder = Path.Combine(TestServers.RepoRoot, project, "bin", configuration, "net10.0");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(folder, assembly + ".dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Msp__DataProtection__KeysPath"] = keys;
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        var log = new StreamWriter(Path.Combine(LogFolder, name + ".log"), append: again) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        processes[name] = process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        Gateway?.Dispose();
        foreach (var process in processes.Values)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }

        Directory.Delete(keys, recursive: true);
    }
}
