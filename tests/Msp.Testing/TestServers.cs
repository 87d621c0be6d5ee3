using System.Diagnostics;
using Npgsql;

namespace Msp.Testing;

/// <summary>The real PostgreSQL and RabbitMQ servers tests run against. <c>./msp test</c> starts throwaway ones and
/// names them in <c>MSP_TEST_PG_DIR</c> and <c>MSP_TEST_RABBITMQ_DIR</c>; a plain <c>dotnet test</c> starts its own
/// under <c>.msp/test-local/</c> with the same scripts (idempotent, so they are reused across runs).</summary>
public static class TestServers
{
    private static readonly Lazy<(string Pg, string Rabbit)> Dirs = new(StartOrFind);
    private static readonly Lazy<string> MailDirs = new(StartOrFindMail);

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string PgDir => Dirs.Value.Pg;

    public static string RabbitDir => Dirs.Value.Rabbit;

    /// <summary>The mail server (smtp4dev: SMTP, IMAP and its web page) that <c>infra/mail.sh</c> started.</summary>
    public static string MailDir => MailDirs.Value;

    /// <summary>A fresh database with an owner role and an application role that does not own its tables.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(40, prefix.Length + 13)].ToLowerInvariant();
        var output = await Shell.RunAsync(Script("postgres.sh"), "provision", PgDir, name);
        string Line(string key) => output.Split('\n').Single(l => l.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..].Trim();
        return new TestDatabase(name, Line("OWNER"), Line("APP"));
    }

    /// <summary>A fresh RabbitMQ virtual host, so that hosts in one test run never compete for each other's messages.</summary>
    public static async Task<string> CreateVirtualHostAsync(string prefix) =>
        (await Shell.RunAsync(Script("rabbitmq.sh"), "vhost", RabbitDir, $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)])).Trim();

    /// <summary>How many messages wait in a queue of the virtual host behind <paramref name="rabbitUri"/>.</summary>
    public static async Task<int> QueueDepthAsync(string rabbitUri, string queue) =>
        int.Parse((await Shell.RunAsync(Script("rabbitmq.sh"), "queue-depth", RabbitDir, new Uri(rabbitUri).AbsolutePath.Trim('/'), queue)).Trim());

    /// <summary>Stops the broker (its port closes, connections drop) without losing durable queues.</summary>
    public static Task PauseRabbitMqAsync() => Shell.RunAsync(Script("rabbitmq.sh"), "pause", RabbitDir);

    public static Task ResumeRabbitMqAsync() => Shell.RunAsync(Script("rabbitmq.sh"), "resume", RabbitDir);

    public static string Script(string name) => Path.Combine(RepoRoot, "infra", name);

    private static (string, string) StartOrFind()
    {
        var pg = Environment.GetEnvironmentVariable("MSP_TEST_PG_DIR");
        var rabbit = Environment.GetEnvironmentVariable("MSP_TEST_RABBITMQ_DIR");
        if (!string.IsNullOrEmpty(pg) && !string.IsNullOrEmpty(rabbit))
        {
            return (pg, rabbit);
        }

        var local = Path.Combine(RepoRoot, ".msp", "test-local");
        Directory.CreateDirectory(local);
        pg = Path.Combine(local, "pg");
        rabbit = Path.Combine(local, "rabbitmq");
        // A lock, because test assemblies started together must not both initialise the same cluster. The servers
        // outlive the command, so they get neither the lock's descriptor nor a pipe to hold open.
        Shell.RunAsync("bash", "-c",
            $"exec 9>'{local}/.lock' && flock 9 && {{ MSP_PG_FSYNC=off '{Script("postgres.sh")}' start '{pg}' 56532 && '{Script("rabbitmq.sh")}' start '{rabbit}' 56772; }} > '{local}/start.log' 2>&1 9>&-").GetAwaiter().GetResult();
        return (pg, rabbit);
    }

    /// <summary><c>MSP_TEST_MAIL_DIR</c> from <c>./msp test</c>, or a server of this checkout's own under
    /// <c>.msp/test-local/mail</c> (reused across runs).</summary>
    private static string StartOrFindMail()
    {
        if (Environment.GetEnvironmentVariable("MSP_TEST_MAIL_DIR") is { Length: > 0 } dir)
        {
            return dir;
        }

        var local = Path.Combine(RepoRoot, ".msp", "test-local");
        Directory.CreateDirectory(local);
        var mail = Path.Combine(local, "mail");
        Shell.RunAsync("bash", "-c",
            $"exec 9>'{local}/.mail-lock' && flock 9 && '{Script("mail.sh")}' start '{mail}' 56525 56143 56580 > '{local}/mail-start.log' 2>&1 9>&-").GetAwaiter().GetResult();
        return mail;
    }

    private static string FindRepoRoot()
    {
        if (Environment.GetEnvironmentVariable("MSP_REPO_ROOT") is { Length: > 0 } root)
        {
            return root;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Msp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Msp.sln not found above the test assembly.");
    }
}

/// <summary>A provisioned database: the owner migrates, the application role is what services connect as.</summary>
public sealed record TestDatabase(string Name, string OwnerConnectionString, string AppConnectionString)
{
    /// <summary>Runs a scalar query as the owner with every tenant in scope: tests check what was really written.</summary>
    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(OwnerConnectionString);
        await connection.OpenAsync();
        await using (var all = new NpgsqlCommand("SELECT set_config('msp.all_tenants', 'on', false)", connection))
        {
            await all.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        var result = await command.ExecuteScalarAsync();
        return (T)Convert.ChangeType(result!, typeof(T));
    }
}

public static class Shell
{
    public static async Task<string> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}");
        }

        return await stdout;
    }
}
