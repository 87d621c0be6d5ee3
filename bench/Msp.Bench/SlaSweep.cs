using System.Diagnostics;
using Npgsql;

namespace Msp.Bench;

/// <summary>The SLA breach sweep under load: a hundred thousand open clocks stored, a share of them falling due during
/// the phase, spread evenly; every breach's lag is the time from its due instant to the relay handing it to RabbitMQ
/// (<c>published_at</c> in the outbox), and to the sweep claiming it (the event's <c>occurredAt</c>). The cost is the
/// Slas process's CPU time over the phase, and the sweep's two queries timed on their own.</summary>
public sealed class SlaSweep(BenchOptions options, DataSet data)
{
    private const string Marker = "BENCH-SLA";

    public async Task<PhaseResult> RunAsync()
    {
        var open = options.SlaClocks;
        var due = Math.Min(options.SlaDue, open);
        var window = options.SlaWindow;
        await using var db = NpgsqlDataSource.Create(options.SlasDatabase);
        await OwnerDb.ExecAsync(db, "DELETE FROM sla_clocks WHERE ticket_reference = $1", Marker);
        var seed = Stopwatch.StartNew();
        // Every clock due between one and thirty days from now: open work that the sweep must not touch.
        await OwnerDb.ExecAsync(db, """
            INSERT INTO sla_clocks (ticket_id, kind, tenant_id, policy_id, warning_percent, ticket_reference, state, priority, target_minutes,
                                    calendar_id, started_at, elapsed_before, segment_start, due_at, warn_at, breach_at, met, warned_at, ledger, updated_at)
            SELECT gen_random_uuid(), 'Resolution', ($1::uuid[])[1 + n % array_length($1::uuid[], 1)], gen_random_uuid(), 75, $2, 'Running', 'P3', 480,
                   NULL, now(), interval '0', now(), d, d, d, false, now(), '[]', now()
            FROM generate_series(1, $3) AS n, LATERAL (SELECT now() + interval '1 day' + random() * interval '29 days' AS d) AS due
            """, data.Tenants.Select(t => t.Id).ToArray(), Marker, open);
        await OwnerDb.ExecAsync(db, "ANALYZE sla_clocks");
        Console.WriteLine($"\nsla: {open} open clocks stored in {seed.Elapsed.TotalSeconds:0.0} s; {due} fall due over {window.TotalSeconds:0} s");

        var claim = await TimeAsync(db, $"SELECT ticket_id FROM sla_clocks WHERE next_fire_at <= now() ORDER BY next_fire_at LIMIT 500");
        var next = await TimeAsync(db, "SELECT min(next_fire_at) FROM sla_clocks");

        // The due share moves into the window, evenly, starting two seconds from now.
        var start = DateTimeOffset.UtcNow.AddSeconds(2);
        var spacing = window / due;
        await OwnerDb.ExecAsync(db, """
            UPDATE sla_clocks c SET due_at = s.d, breach_at = s.d
            FROM (SELECT ticket_id, $2::timestamptz + (row_number() OVER () - 1) * $3::interval AS d
                  FROM sla_clocks WHERE ticket_reference = $1 LIMIT $4) s
            WHERE c.ticket_id = s.ticket_id
            """, Marker, start, spacing, due);
        var cpuBefore = Report.CpuSeconds(options.Pids.GetValueOrDefault("slas"));
        await Task.Delay(start + window - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(3));
        var cpu = Report.CpuSeconds(options.Pids.GetValueOrDefault("slas")) - cpuBefore;

        var published = new OperationStats("breach published");
        var claimed = new OperationStats("breach claimed");
        await using (var connection = await OwnerDb.OpenAsync(db))
        await using (var read = new NpgsqlCommand("""
            SELECT extract(epoch FROM (o.published_at - c.breach_at)) * 1000, extract(epoch FROM (c.breached_at - c.breach_at)) * 1000
            FROM sla_clocks c
            LEFT JOIN outbox o ON o.message_type LIKE '%.SlaBreached' AND (o.payload->>'ticketId')::uuid = c.ticket_id
            WHERE c.ticket_reference = $1 AND c.breach_at <= $2
            """, connection))
        {
            read.Parameters.Add(new NpgsqlParameter { Value = Marker });
            read.Parameters.Add(new NpgsqlParameter { Value = start + window });
            await using var rows = await read.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                var publishedMs = rows.IsDBNull(0) ? double.NaN : (double)rows.GetDecimal(0);
                var claimedMs = rows.IsDBNull(1) ? double.NaN : (double)rows.GetDecimal(1);
                published.Record(double.IsNaN(publishedMs) ? 0 : publishedMs, !double.IsNaN(publishedMs) && publishedMs <= 1000);
                claimed.Record(double.IsNaN(claimedMs) ? 0 : claimedMs, !double.IsNaN(claimedMs));
            }
        }

        var phase = new PhaseResult("sla", window.TotalSeconds, 1, [published.Result(window), claimed.Result(window)], new Dictionary<string, double>
        {
            ["openClocks"] = open,
            ["breachesDue"] = due,
            ["slasCpuSeconds"] = Math.Round(cpu, 2),
            ["slasCpuMsPerBreach"] = Math.Round(1000 * cpu / Math.Max(1, due), 3),
            ["claimQueryMs"] = claim,
            ["nextDeadlineQueryMs"] = next,
        });
        Report.Print(phase);
        Console.WriteLine("  (latencies: from each breach's due instant; errors: breaches not published within one second of it)");
        Console.WriteLine($"  sweep cost: slas process {cpu:0.00} CPU s over the phase, {1000 * cpu / Math.Max(1, due):0.000} CPU ms per breach;"
            + $" claim query {claim:0.00} ms, next-deadline query {next:0.00} ms with {open} open clocks");
        await OwnerDb.ExecAsync(db, "DELETE FROM sla_clocks WHERE ticket_reference = $1", Marker);
        return phase;
    }

    /// <summary>The query's execution time as PostgreSQL reports it, warm (the second of two runs).</summary>
    private static async Task<double> TimeAsync(NpgsqlDataSource db, string sql)
    {
        await using var connection = await OwnerDb.OpenAsync(db);
        double ms = 0;
        for (var i = 0; i < 2; i++)
        {
            await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, connection);
            using var plan = System.Text.Json.JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!);
            ms = plan.RootElement[0].GetProperty("Execution Time").GetDouble();
        }

        return Math.Round(ms, 2);
    }
}
