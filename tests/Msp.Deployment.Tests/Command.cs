using System.Diagnostics;

namespace Msp.Deployment.Tests;

/// <summary>What a finished process said.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error)
{
    public string Describe(string what) => $"{what} exited {ExitCode}.\n--- stdout\n{Tail(Output)}\n--- stderr\n{Tail(Error)}";

    private static string Tail(string text) => text.Length <= 6000 ? text : "…" + text[^6000..];
}

/// <summary>Runs a program to its end (or its time limit) and keeps what it printed.</summary>
public static class Command
{
    public static async Task<CommandResult> RunAsync(
        string file, IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? Repository.Root,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', start.ArgumentList)} did not finish within {timeout}");
        }

        return new CommandResult(process.ExitCode, await output, await error);
    }

    /// <summary>The full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
