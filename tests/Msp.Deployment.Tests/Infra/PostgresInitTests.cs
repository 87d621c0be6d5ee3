using Msp.Testing;
using Npgsql;

namespace Msp.Deployment.Tests.Infra;

/// <summary>infra/compose/postgres-init.sh, which compose.yaml's PostgreSQL runs on its first start, run here against a
/// real server: each database gets an owner and an application role that reads and writes but owns nothing.</summary>
public class PostgresInitTests
{
    [Fact]
    public async Task InitScript_MakesEachDatabaseWithAnOwnerAndAnApplicationRoleThatOwnsNothing()
    {
        var names = new[] { $"msp_init_{Guid.NewGuid():N}"[..20], $"msp_init_{Guid.NewGuid():N}"[..20] };
        var superuser = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = int.Parse(File.ReadAllText(Path.Combine(TestServers.PgDir, "port")).Trim()),
            Username = "postgres",
            Password = File.ReadAllText(Path.Combine(TestServers.PgDir, "superuser.pw")).Trim(),
            Pooling = false,
        };
        var env = new Dictionary<string, string?>
        {
            ["PGHOST"] = superuser.Host, ["PGPORT"] = superuser.Port.ToString(), ["PGPASSWORD"] = superuser.Password, ["POSTGRES_USER"] = "postgres",
            ["MSP_DATABASES"] = string.Join(' ', names), ["MSP_PROVISION_SQL"] = Repository.PathOf("infra/sql"),
            ["PATH"] = $"{PostgresBin()}:{Environment.GetEnvironmentVariable("PATH")}",
        };
        foreach (var name in names)
        {
            env[$"{name.ToUpperInvariant()}_OWNER_PASSWORD"] = $"owner{name[^6..]}";
            env[$"{name.ToUpperInvariant()}_APP_PASSWORD"] = $"app{name[^6..]}";
        }

        try
        {
            var script = Repository.PathOf("infra/compose/postgres-init.sh");
            var first = await Command.RunAsync(script, [], environment: env, timeout: TimeSpan.FromMinutes(2));
            first.ExitCode.ShouldBe(0, first.Describe("postgres-init.sh"));
            var again = await Command.RunAsync(script, [], environment: env, timeout: TimeSpan.FromMinutes(2));
            again.ExitCode.ShouldBe(0, again.Describe("postgres-init.sh, a second time"));

            foreach (var name in names)
            {
                string As(string role) => new NpgsqlConnectionStringBuilder(superuser.ConnectionString)
                { Database = name, Username = $"{name}_{role}", Password = (string)env[$"{name.ToUpperInvariant()}_{role.ToUpperInvariant()}_PASSWORD"]! }.ConnectionString;

                await Execute(As("owner"), "CREATE TABLE things (id int PRIMARY KEY, name text)");
                await Execute(As("app"), "INSERT INTO things VALUES (1, 'one')");
                (await Scalar<string>(As("app"), "SELECT name FROM things WHERE id = 1")).ShouldBe("one");
                (await Should.ThrowAsync<PostgresException>(() => Execute(As("app"), "ALTER TABLE things ADD COLUMN x int"))).SqlState.ShouldBe("42501");
                (await Should.ThrowAsync<PostgresException>(() => Execute(As("app"), "DROP TABLE things"))).SqlState.ShouldBe("42501");
                (await Should.ThrowAsync<PostgresException>(() => Execute(As("app"), "CREATE TABLE mine (id int)"))).SqlState.ShouldBe("42501");

                var admin = new NpgsqlConnectionStringBuilder(superuser.ConnectionString) { Database = name }.ConnectionString;
                (await Scalar<string>(admin, $"SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '{name}'")).ShouldBe($"{name}_owner");
                (await Scalar<bool>(admin, $"SELECT rolinherit FROM pg_roles WHERE rolname = '{name}_app'")).ShouldBeFalse();
                (await Scalar<bool>(admin, $"SELECT has_database_privilege('public', '{name}', 'CONNECT')")).ShouldBeFalse();
                (await Scalar<bool>(admin, "SELECT proleakproof FROM pg_proc WHERE proname = 'ts_match_vq'")).ShouldBeTrue();
            }
        }
        finally
        {
            foreach (var name in names)
            {
                await Command.RunAsync(TestServers.Script("postgres.sh"), ["drop", TestServers.PgDir, name]);
            }
        }
    }

    private static string PostgresBin() =>
        Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(Directory.Exists).Order().LastOrDefault()
        ?? throw new ShouldAssertException("no PostgreSQL binaries under /usr/lib/postgresql (infra/postgres.sh installs them)");

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> Scalar<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
