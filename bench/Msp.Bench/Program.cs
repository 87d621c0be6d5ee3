using System.Text.Json;
using Msp.Bench;

// ./msp bench starts a platform of its own and runs this against its gateway; see docs/benchmarks.md.
var options = BenchOptions.From(args);
using var gateway = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
{
    BaseAddress = new Uri(options.Gateway),
    Timeout = TimeSpan.FromSeconds(30),
};

Console.WriteLine($"seeding {options.Tenants} tenants x {options.UsersPerTenant} users, {options.Tickets} tickets");
var seedStart = System.Diagnostics.Stopwatch.StartNew();
var data = await new Seeding(gateway, options).RunAsync();
var seedSeconds = Math.Round(seedStart.Elapsed.TotalSeconds, 1);
Console.WriteLine($"  seeded in {seedSeconds} s");

var load = new Load(gateway, data, options);
var phases = new List<PhaseResult>();
foreach (var phase in options.Phases)
{
    phases.Add(phase switch
    {
        "create" => await load.CreationAsync(),
        "read" => await load.ListAndSearchAsync(),
        "mixed" => await load.MixedAsync(),
        "portal" => await load.PortalAsync(),
        "desk" => await load.DeskAsync(),
        "sla" => await new SlaSweep(options, data).RunAsync(),
        "invoice" => await new InvoiceRun(options).RunAsync(),
        "invoice-page" => await new InvoiceRun(options).FromThePageAsync(),
        "mail" => await new MailIntake(options).RunAsync(),
        _ => throw new ArgumentException($"Unknown phase '{phase}': create, read, mixed, portal, desk, sla, invoice, invoice-page or mail."),
    });
}

var memory = Report.Memory(options.Pids);
Console.WriteLine($"\n{"process",-9} {"pid",8} {"peak MiB",9} {"now MiB",9}");
foreach (var m in memory)
{
    Console.WriteLine($"{m.Process,-9} {m.Pid,8} {m.PeakMiB,9} {m.CurrentMiB,9}");
}

var report = new BenchReport(DateTimeOffset.UtcNow, Report.Machine(), new Dictionary<string, object>
{
    ["tenants"] = options.Tenants, ["usersPerTenant"] = options.UsersPerTenant, ["tickets"] = options.Tickets,
    ["signedInClients"] = data.Clients.Count, ["technicians"] = data.Technicians.Count,
}, seedSeconds, phases, memory);
Directory.CreateDirectory(options.Output);
var file = Path.Combine(options.Output, $"tickets-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json");
await File.WriteAllTextAsync(file, JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
Console.WriteLine($"\nmachine: {report.Machine}\nwritten to {file}");

/// <summary>Where the platform is and how big the run is: environment variables set by <c>./msp bench</c>, and
/// <c>--name value</c> arguments for the sizes.</summary>
public sealed record BenchOptions(
    string Gateway, string AdminEmail, string AdminPassword, string TicketsDatabase, string SlasDatabase, string BillingDatabase, string Output, IReadOnlyDictionary<string, int> Pids,
    int Tenants, int UsersPerTenant, int SignedInUsersPerTenant, int Technicians, int Tickets, TimeSpan Duration, TimeSpan WarmUp,
    int CreateConcurrency, int ReadConcurrency, int MixedConcurrency, int PortalClients, int DeskTechnicians, TimeSpan ThinkTime, string[] Phases, int SlaClocks, int SlaDue, TimeSpan SlaWindow,
    int InvoiceTenants, int InvoiceEntries, string MailDatabase, int SmtpPort, string SupportAddress, int Mails)
{
    public static BenchOptions From(string[] args)
    {
        string Env(string name) => Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException($"{name} is not set; run ./msp bench.");
        string Text(string name, string fallback)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        int Arg(string name, int fallback)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
        }

        var pids = Env("MSP_BENCH_PIDS").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=')).ToDictionary(p => p[0], p => int.Parse(p[1]));
        return new BenchOptions(
            Env("MSP_BENCH_GATEWAY"), Env("MSP_BENCH_ADMIN_EMAIL"), Env("MSP_BENCH_ADMIN_PASSWORD"), Env("MSP_BENCH_TICKETS_DB"), Env("MSP_BENCH_SLAS_DB"), Env("MSP_BENCH_BILLING_DB"), Env("MSP_BENCH_OUT"), pids,
            Arg("tenants", 50), Arg("users", 20), Arg("signed-in", 2), Arg("technicians", 10), Arg("tickets", 100_000),
            TimeSpan.FromSeconds(Arg("seconds", 20)), TimeSpan.FromSeconds(Arg("warmup", 30)), Arg("create-concurrency", 16), Arg("read-concurrency", 8), Arg("mixed-concurrency", 16), Arg("portal-clients", 50), Arg("desk-technicians", 20), TimeSpan.FromMilliseconds(Arg("think-ms", 2000)),
            Text("phases", "create,read,mixed,sla,invoice,mail").Split(','), Arg("sla-clocks", 100_000), Arg("sla-due", 6_000), TimeSpan.FromSeconds(Arg("sla-seconds", 30)),
            Arg("invoice-tenants", 1_000), Arg("invoice-entries", 100), Env("MSP_BENCH_MAIL_DB"), int.Parse(Env("MSP_BENCH_SMTP_PORT")), Env("MSP_BENCH_SUPPORT_ADDRESS"),
            Arg("mails", 1_000));
    }
}
