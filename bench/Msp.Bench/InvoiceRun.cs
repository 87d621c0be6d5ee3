using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Msp.Bench;

/// <summary>The invoice run over many tenants: a thousand billing accounts (a third each on managed services, block
/// hours and time and materials, every one with an SLA credit rule), a hundred time entries and two SLA breaches each
/// in last month, stored directly in the Billing database; then the run for that month asked for through the gateway and
/// followed until it has succeeded, twice (the second finds every draft up to date). It reports how long each run took, the Billing process's CPU time,
/// and checks that the invoices hold every billable minute once.</summary>
public sealed class InvoiceRun(BenchOptions options)
{
    public async Task<PhaseResult> RunAsync()
    {
        var (tenants, period, db) = await SeedAsync();
        await using var _ = db;
        using var http = await SignedInAsync();
        var pid = options.Pids.GetValueOrDefault("billing");
        var (first, firstRun, firstCpu) = await RunOnceAsync(http, period, pid);
        var (again, againRun, againCpu) = await RunOnceAsync(http, period, pid);
        var (invoices, onLines, billable, total) = await CheckAsync(db, tenants, period);

        var entries = (double)tenants.Length * options.InvoiceEntries;
        Console.WriteLine($"  first run:  {first.TotalSeconds,7:0.00} s  ({tenants.Length / first.TotalSeconds:0} tenants/s, {entries / first.TotalSeconds:0} entries/s)"
            + $"  {firstRun.GetProperty("created").GetInt32()} drafts created; billing {firstCpu:0.0} CPU s");
        Console.WriteLine($"  second run: {again.TotalSeconds,7:0.00} s  ({tenants.Length / again.TotalSeconds:0} tenants/s)"
            + $"  {againRun.GetProperty("unchanged").GetInt32()} drafts unchanged, {againRun.GetProperty("created").GetInt32()} created; billing {againCpu:0.0} CPU s");
        Console.WriteLine($"  invoices: {invoices} for {tenants.Length} tenants; minutes on lines {onLines} of {billable} billable; total billed {total:0.00} EUR");
        return new PhaseResult("invoice", first.TotalSeconds + again.TotalSeconds, 1, [], new Dictionary<string, double>
        {
            ["tenants"] = tenants.Length,
            ["timeEntries"] = entries,
            ["firstRunSeconds"] = Math.Round(first.TotalSeconds, 2),
            ["secondRunSeconds"] = Math.Round(again.TotalSeconds, 2),
            ["tenantsPerSecond"] = Math.Round(tenants.Length / first.TotalSeconds, 1),
            ["billingCpuSecondsFirstRun"] = Math.Round(firstCpu, 2),
            ["billingCpuSecondsSecondRun"] = Math.Round(againCpu, 2),
            ["invoices"] = invoices,
            ["minutesOnLines"] = onLines,
            ["billableMinutes"] = billable,
        });
    }

    /// <summary>The same data set, invoiced once from the console's invoicing page in headless Chromium: the run's page
    /// is followed until it says the month is invoiced, and what its progress bar showed on the way is reported.</summary>
    public async Task<PhaseResult> FromThePageAsync()
    {
        var (tenants, period, db) = await SeedAsync();
        await using var _ = db;
        var pid = options.Pids.GetValueOrDefault("billing");
        var cpu = Report.CpuSeconds(pid);
        var seen = await new InvoicePage(options).RunAsync(period);
        cpu = Report.CpuSeconds(pid) - cpu;
        var (invoices, onLines, billable, total) = await CheckAsync(db, tenants, period);

        Console.WriteLine($"  from the page: {seen.Elapsed.TotalSeconds,7:0.00} s from the click to \"{seen.Outcome}\"; billing {cpu:0.0} CPU s");
        Console.WriteLine($"  progress bar seen at: {string.Join(", ", seen.Progress.Select(p => $"{p.At.TotalSeconds:0.0} s {p.Value}/{p.Max}"))}");
        Console.WriteLine($"  screenshots: {seen.MidRun} (mid-run), {seen.End} (end)");
        Console.WriteLine($"  invoices: {invoices} for {tenants.Length} tenants; minutes on lines {onLines} of {billable} billable; total billed {total:0.00} EUR");
        return new PhaseResult("invoice-page", seen.Elapsed.TotalSeconds, 1, [], new Dictionary<string, double>
        {
            ["tenants"] = tenants.Length,
            ["timeEntries"] = (double)tenants.Length * options.InvoiceEntries,
            ["runSeconds"] = Math.Round(seen.Elapsed.TotalSeconds, 2),
            ["progressStatesSeen"] = seen.Progress.Count,
            ["billingCpuSeconds"] = Math.Round(cpu, 2),
            ["invoices"] = invoices,
            ["minutesOnLines"] = onLines,
            ["billableMinutes"] = billable,
        });
    }

    /// <summary>Stores the tenants, their contracts, time and breaches of last month in the Billing database.</summary>
    private async Task<(Guid[] Tenants, string Period, NpgsqlDataSource Db)> SeedAsync()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var start = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        var period = $"{start:yyyy-MM}";
        var tenants = Enumerable.Range(0, options.InvoiceTenants).Select(_ => Guid.CreateVersion7()).ToArray();
        var db = NpgsqlDataSource.Create(options.BillingDatabase);
        var seed = Stopwatch.StartNew();
        await OwnerDb.ExecAsync(db, """
            INSERT INTO billing_accounts (tenant_id, currency, tax_rate_percent, billing_contact, payment_terms_days, created_at, updated_at)
            SELECT t, 'EUR', 20, 'billing@bench.local', 30, now(), now() FROM unnest($1::uuid[]) t
            """, tenants);
        await OwnerDb.ExecAsync(db, """
            INSERT INTO contracts (id, tenant_id, name, kind, status, starts_on, ends_on, sla_policy_id, fee, blocks, overage_rate, rates, default_rate,
                                   sla_credit, created_at, updated_at)
            SELECT gen_random_uuid(), t, 'Bench ' || k, k, 'Active', $2, NULL, NULL,
                   CASE WHEN k <> 'TimeAndMaterials' THEN jsonb_build_object('unit', CASE k WHEN 'ManagedServices' THEN 'PerUser' ELSE 'Flat' END,
                        'monthlyUnitPrice', CASE k WHEN 'ManagedServices' THEN 35 ELSE 500 END,
                        'quantities', jsonb_build_array(jsonb_build_object('effectiveFrom', $2, 'quantity', CASE k WHEN 'ManagedServices' THEN 20 ELSE 1 END))) END,
                   CASE WHEN k = 'BlockHours' THEN jsonb_build_array(jsonb_build_object('id', gen_random_uuid(), 'purchasedOn', $2, 'hours', 60, 'price', 5400,
                        'expiresOn', NULL)) ELSE '[]'::jsonb END,
                   CASE WHEN k = 'BlockHours' THEN 120 END,
                   CASE WHEN k = 'TimeAndMaterials' THEN '{"Remote": 90, "OnSite": 150}'::jsonb ELSE '{}'::jsonb END,
                   CASE WHEN k = 'TimeAndMaterials' THEN 100 END,
                   '{"percentPerBreach": 5, "capPercent": 20}'::jsonb, now(), now()
            FROM (SELECT t, (ARRAY['ManagedServices', 'BlockHours', 'TimeAndMaterials'])[1 + (n % 3)] AS k
                  FROM unnest($1::uuid[]) WITH ORDINALITY AS u(t, n)) c
            """, tenants, start);
        await OwnerDb.ExecAsync(db, """
            INSERT INTO usage_entries (time_entry_id, tenant_id, ticket_id, ticket_reference, technician_id, minutes, work_type, billable, work_date,
                                       version, deleted, logged_at, updated_at)
            SELECT gen_random_uuid(), t, gen_random_uuid(), 'BENCH-' || n, gen_random_uuid(), 15 + (n * 7) % 120,
                   CASE WHEN n % 4 = 0 THEN 'OnSite' ELSE 'Remote' END, n % 10 <> 0, $2 + (n % 28), 1, false,
                   now() - interval '1 hour' + n * interval '1 second', now() - interval '1 hour'
            FROM unnest($1::uuid[]) t, generate_series(1, $3) n
            """, tenants, start, options.InvoiceEntries);
        await OwnerDb.ExecAsync(db, """
            INSERT INTO sla_breaches (ticket_id, clock, tenant_id, ticket_reference, priority, due_at, recorded_at)
            SELECT gen_random_uuid(), 'FirstResponse', t, 'BENCH-' || n, 'P2', $2::date + n * 5 + time '10:00', now()
            FROM unnest($1::uuid[]) t, generate_series(1, 2) n
            """, tenants, start);
        await OwnerDb.ExecAsync(db, "ANALYZE");
        Console.WriteLine($"\ninvoice: {tenants.Length} tenants with {options.InvoiceEntries} time entries each stored in {seed.Elapsed.TotalSeconds:0.0} s; running {period}");
        return (tenants, period, db);
    }

    private async Task<HttpClient> SignedInAsync()
    {
        var http = new HttpClient { BaseAddress = new Uri(options.Gateway), Timeout = TimeSpan.FromMinutes(10) };
        var login = await http.PostAsJsonAsync("/api/auth/login", new { email = options.AdminEmail, password = options.AdminPassword });
        login.EnsureSuccessStatusCode();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        return http;
    }

    /// <summary>The period's invoices of the tenants, the minutes on their lines, the billable minutes, the total billed.</summary>
    private static async Task<(long Invoices, long OnLines, long Billable, decimal Total)> CheckAsync(NpgsqlDataSource db, Guid[] tenants, string period)
    {
        await using var connection = await OwnerDb.OpenAsync(db);
        await using var check = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM invoices WHERE tenant_id = ANY($1) AND period = $2),
                   (SELECT coalesce(sum((l->>'minutes')::int), 0) FROM invoices i, jsonb_array_elements(i.lines) l WHERE i.tenant_id = ANY($1) AND i.period = $2),
                   (SELECT sum(minutes) FROM usage_entries WHERE tenant_id = ANY($1) AND billable AND NOT deleted),
                   (SELECT coalesce(sum(total), 0) FROM invoices WHERE tenant_id = ANY($1) AND period = $2)
            """, connection);
        check.Parameters.Add(new NpgsqlParameter { Value = tenants });
        check.Parameters.Add(new NpgsqlParameter { Value = period });
        await using var row = await check.ExecuteReaderAsync();
        await row.ReadAsync();
        return (row.GetInt64(0), row.GetInt64(1), row.GetInt64(2), row.GetDecimal(3));
    }

    private static async Task<(TimeSpan Elapsed, JsonElement Run, double Cpu)> RunOnceAsync(HttpClient http, string period, int pid)
    {
        var cpu = Report.CpuSeconds(pid);
        var clock = Stopwatch.StartNew();
        var response = await http.PostAsJsonAsync("/api/billing/invoice-runs", new { period });
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The invoice run answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        // The run is a background job (202 and the run to poll): it is over when the run says so, as the console sees it.
        while (true)
        {
            await Task.Delay(100);
            var run = await http.GetFromJsonAsync<JsonElement>(response.Headers.Location);
            switch (run.GetProperty("status").GetString())
            {
                case "Succeeded":
                    return (clock.Elapsed, run, Report.CpuSeconds(pid) - cpu);
                case "Failed":
                    throw new InvalidOperationException($"The invoice run failed: {run.GetProperty("error").GetString()}");
            }
        }
    }
}
