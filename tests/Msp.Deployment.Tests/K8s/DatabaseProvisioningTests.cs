using System.Text.RegularExpressions;

namespace Msp.Deployment.Tests.K8s;

/// <summary>CloudNativePG provisions each database as infra/sql does for ./msp up and compose.yaml: the same grants,
/// statement for statement, so that the roles behave alike everywhere.</summary>
public partial class DatabaseProvisioningTests
{
    [Fact]
    public async Task EveryCluster_RunsTheGrantsOfInfraSqlForItsDatabase()
    {
        var rendered = await RenderedOverlay.OfAsync("production");
        foreach (var cluster in rendered.All<CnpgCluster>())
        {
            var initdb = cluster.Spec!.Bootstrap!.Initdb!;
            string[] expected = [$"CREATE ROLE {initdb.Database}_app LOGIN NOINHERIT", .. Statements(Repository.Read("infra/sql/provision-grants.sql"), initdb.Database!)];

            initdb.PostInitApplicationSql.ToArray().ShouldBe(expected, cluster.Metadata.Name);
        }
    }

    [Fact]
    public void Statements_RenderFormatCallsForADatabase() =>
        Statements("SELECT format('GRANT CONNECT ON DATABASE %I TO %I', :'name', :'name' || '_app') \\gexec\n-- note\nALTER FUNCTION f() LEAKPROOF;\n", "msp_x")
            .ShouldBe(["GRANT CONNECT ON DATABASE msp_x TO msp_x_app", "ALTER FUNCTION f() LEAKPROOF"]);

    /// <summary>The statements a psql script of <c>SELECT format(...) \gexec</c> lines and plain statements runs for
    /// the database <paramref name="name"/> (names are plain lower-case identifiers, so %I leaves them unquoted).</summary>
    private static IEnumerable<string> Statements(string script, string name)
    {
        foreach (var line in script.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("--", StringComparison.Ordinal)))
        {
            var call = FormatCall().Match(line);
            if (!call.Success)
            {
                yield return line.TrimEnd(';');
                continue;
            }

            var values = new Queue<string>(call.Groups["args"].Value.Split(',').Select(a =>
                NameArgument().Match(a.Trim()) is { Success: true } m ? name + m.Groups["suffix"].Value : throw new ShouldAssertException($"cannot read argument {a}")));
            yield return Placeholder().Replace(call.Groups["template"].Value, _ => values.Dequeue());
        }
    }

    [GeneratedRegex(@"^SELECT format\('(?<template>[^']*)', (?<args>.*)\) \\gexec$")]
    private static partial Regex FormatCall();

    [GeneratedRegex(@"^:'name'(?: \|\| '(?<suffix>[^']*)')?$")]
    private static partial Regex NameArgument();

    [GeneratedRegex("%I")]
    private static partial Regex Placeholder();
}
