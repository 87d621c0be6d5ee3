using System.Collections.Concurrent;
using System.Diagnostics;

namespace Msp.Bench;

/// <summary>What one operation did during a phase: each request's latency and whether it failed.</summary>
public sealed class OperationStats(string name)
{
    private readonly ConcurrentBag<double> latencies = [];
    private int errors;

    public string Name { get; } = name;

    public void Record(double milliseconds, bool ok)
    {
        latencies.Add(milliseconds);
        if (!ok)
        {
            Interlocked.Increment(ref errors);
        }
    }

    public OperationResult Result(TimeSpan duration)
    {
        var sorted = latencies.Order().ToArray();
        double Percentile(double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        return new OperationResult(Name, sorted.Length, errors, Math.Round(sorted.Length / duration.TotalSeconds, 1),
            Math.Round(Percentile(0.50), 1), Math.Round(Percentile(0.95), 1), Math.Round(Percentile(0.99), 1), Math.Round(sorted.LastOrDefault(), 1));
    }
}

public sealed record OperationResult(string Operation, int Requests, int Errors, double PerSecond, double P50Ms, double P95Ms, double P99Ms, double MaxMs);

/// <summary>One phase's operations, and any figures of its own (the SLA sweep's cost).</summary>
public sealed record PhaseResult(string Phase, double Seconds, int Concurrency, IReadOnlyList<OperationResult> Operations, IReadOnlyDictionary<string, double>? Figures = null);

public sealed record ProcessMemory(string Process, int Pid, double PeakMiB, double CurrentMiB);

public sealed record BenchReport(
    DateTimeOffset At, string Machine, IReadOnlyDictionary<string, object> DataSet, double SeedSeconds, IReadOnlyList<PhaseResult> Phases,
    IReadOnlyList<ProcessMemory> Memory);

public static class Report
{
    public static void Print(PhaseResult phase)
    {
        Console.WriteLine($"\n{phase.Phase} ({phase.Seconds:0} s, {phase.Concurrency} concurrent)");
        Console.WriteLine($"  {"operation",-18} {"requests",9} {"errors",7} {"req/s",8} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8}");
        foreach (var o in phase.Operations)
        {
            Console.WriteLine($"  {o.Operation,-18} {o.Requests,9} {o.Errors,7} {o.PerSecond,8} {o.P50Ms,8} {o.P95Ms,8} {o.P99Ms,8} {o.MaxMs,8}");
        }
    }

    public static string Machine() =>
        $"{Environment.ProcessorCount} cores, {Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024 / 1024)} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";

    /// <summary>Peak (VmHWM) and current (VmRSS) resident memory of each process, from /proc.</summary>
    public static IReadOnlyList<ProcessMemory> Memory(IReadOnlyDictionary<string, int> pids) =>
        [.. pids.Select(p =>
        {
            var status = File.Exists($"/proc/{p.Value}/status") ? File.ReadAllLines($"/proc/{p.Value}/status") : [];
            double Kb(string key) => status.Where(l => l.StartsWith(key, StringComparison.Ordinal))
                .Select(l => double.Parse(l.Split(':')[1].Trim().Split(' ')[0]) / 1024).FirstOrDefault();
            return new ProcessMemory(p.Key, p.Value, Math.Round(Kb("VmHWM"), 1), Math.Round(Kb("VmRSS"), 1));
        })];

    /// <summary>User and system CPU time of a process, from /proc (clock ticks of 1/100 s).</summary>
    public static double CpuSeconds(int pid)
    {
        var path = $"/proc/{pid}/stat";
        var stat = pid == 0 ? "" : SafeRead(path);
        if (stat.Length == 0)
        {
            return 0;
        }

        var fields = stat.Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0;
    }

    /// <summary>CPU seconds spent so far by each of the platform's processes, by PostgreSQL and RabbitMQ (all their
    /// processes), and by this load generator: taken before and after a phase, the difference shows where the cores went.</summary>
    public static Dictionary<string, double> CpuByProcess(IReadOnlyDictionary<string, int> pids)
    {
        var cpu = pids.ToDictionary(p => p.Key, p => CpuSeconds(p.Value));
        cpu["postgres"] = 0;
        cpu["rabbitmq"] = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            var comm = SafeRead($"{dir}/comm").Trim();
            var group = comm == "postgres" ? "postgres" : comm.StartsWith("beam", StringComparison.Ordinal) || comm.StartsWith("erl", StringComparison.Ordinal) ? "rabbitmq" : null;
            if (group is not null)
            {
                cpu[group] += CpuSeconds(pid);
            }
        }

        cpu["bench"] = CpuSeconds(Environment.ProcessId);
        var machine = MachineSeconds();
        cpu[Stolen] = machine.Stolen;
        cpu[Outside] = machine.Busy; // the machine's busy time until CpuSpent takes the platform's share from it
        return cpu;
    }

    /// <summary>Not a process: the time the machine's virtual cores were ready to run but the hypervisor ran something
    /// else (the <c>steal</c> column of /proc/stat). On a shared host it varies from run to run, and with it every figure.</summary>
    public const string Stolen = "stolen";

    /// <summary>Not a process either: the machine's busy time that none of the platform's processes nor this load
    /// generator spent. The kernel is shared with other containers this machine cannot see; when they work, the cores
    /// the platform counts on are theirs, and /proc/stat's busy time shows it although no process here spent it. (A platform process that ended during the phase
    /// is counted here too; the pools keep theirs open.)</summary>
    public const string Outside = "outside";

    /// <summary>The machine's busy time (user, nice, system, irq, softirq) and stolen time so far, from /proc/stat.</summary>
    private static (double Busy, double Stolen) MachineSeconds()
    {
        var cpu = SafeRead("/proc/stat").Split('\n').FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        var fields = cpu?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (fields.Length <= 8)
        {
            return (0, 0);
        }

        double Ticks(params int[] columns) => columns.Sum(c => long.Parse(fields[c])) / 100.0;
        return (Ticks(1, 2, 3, 6, 7), Ticks(8));
    }

    /// <summary>Each process's share of the CPU seconds spent between two <see cref="CpuByProcess"/> readings, and the
    /// busy time outside them.</summary>
    public static Dictionary<string, double> CpuSpent(Dictionary<string, double> before, Dictionary<string, double> after)
    {
        var spent = after.ToDictionary(a => a.Key, a => a.Value - before.GetValueOrDefault(a.Key));
        spent[Outside] = Math.Max(0, spent[Outside] - spent.Where(s => s.Key is not (Outside or Stolen)).Sum(s => s.Value));
        return spent.ToDictionary(s => "cpuSeconds." + s.Key, s => Math.Round(s.Value, 1));
    }

    /// <summary>The platform's CPU per request, in milliseconds: every process but this load generator, and neither the
    /// time the host stole nor the time spent outside the platform.</summary>
    public static double PlatformCpuMs(IReadOnlyDictionary<string, double> spent, int requests) =>
        Math.Round(spent.Where(s => s.Key != "cpuSeconds.bench" && !IsMachineFigure(s.Key)).Sum(s => s.Value) * 1000 / Math.Max(1, requests), 2);

    /// <summary>Whether a figure of <see cref="CpuSpent"/> is the machine's (stolen, outside) rather than a process's.</summary>
    private static bool IsMachineFigure(string key) => key is "cpuSeconds." + Stolen or "cpuSeconds." + Outside;

    public static void PrintCpu(IReadOnlyDictionary<string, double> spent, double seconds) =>
        Console.WriteLine("  cpu s (of " + Math.Round(seconds * Environment.ProcessorCount) + "): " +
            string.Join(", ", spent.Where(s => s.Key.StartsWith("cpuSeconds.", StringComparison.Ordinal) && !IsMachineFigure(s.Key))
                .OrderByDescending(s => s.Value).Select(s => $"{s.Key[11..]} {s.Value}")) +
            $"; outside the platform {spent.GetValueOrDefault("cpuSeconds." + Outside)}; stolen by the host {spent.GetValueOrDefault("cpuSeconds." + Stolen)}");

    private static string SafeRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return ""; // the process ended between listing and reading
        }
    }

    public static double Elapsed(long start) => Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}
