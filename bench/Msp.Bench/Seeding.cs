using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Msp.Bench;

/// <summary>A signed-in user of the data set.</summary>
public sealed record Account(Guid Id, Guid? TenantId, string Token, string Email);

public sealed record DataSet(List<(Guid Id, string Slug)> Tenants, List<Account> Clients, List<Account> Technicians, string[] SearchWords);

/// <summary>Builds the data set: tenants and users through the API, as an operator would; the ticket history in bulk
/// through SQL, as a migration from another tool would (100,000 tickets through the API would be the benchmark itself).</summary>
public sealed class Seeding(HttpClient gateway, BenchOptions options)
{
    public const string Password = "a benchmark password";

    public static readonly string[] Things = ["Printer", "VPN", "Outlook", "Laptop", "Wi-Fi", "Teams", "Backup", "Firewall", "Scanner", "SharePoint",
        "OneDrive", "Phone", "Monitor", "Server", "Invoice", "Password", "Badge", "Docking station", "ERP", "Website"];

    public static readonly string[] Troubles = ["not working", "very slow", "keeps disconnecting", "shows an error", "needs access", "asks for a password",
        "cannot print", "is missing", "crashes on start", "needs an upgrade"];

    public async Task<DataSet> RunAsync()
    {
        var admin = await SignInAsync(options.AdminEmail, options.AdminPassword);
        var tenants = new List<(Guid, string)>();
        var run = Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < options.Tenants; i++)
        {
            var slug = $"b{run}{i:000}";
            var created = await Send(admin, HttpMethod.Post, "/api/tenants", new { name = $"Client {i:000} of run {run}", slug, timeZone = "Europe/Paris", country = "FR" });
            tenants.Add((created.GetProperty("id").GetGuid(), slug));
        }

        Console.WriteLine($"  {tenants.Count} tenants");
        var clients = new List<Account>();
        await Parallel.ForEachAsync(tenants, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (tenant, _) =>
        {
            for (var u = 0; u < options.UsersPerTenant; u++)
            {
                var invited = await Send(admin, HttpMethod.Post, $"/api/tenants/{tenant.Item1}/users",
                    new { email = $"user{u:00}.{tenant.Item2}@bench.example", displayName = $"User {u:00}", role = u == 0 ? "ClientAdmin" : "ClientUser" });
                if (u < options.SignedInUsersPerTenant)
                {
                    var account = await AcceptAndSignInAsync(invited, tenant.Item1);
                    lock (clients)
                    {
                        clients.Add(account);
                    }
                }
            }
        });
        Console.WriteLine($"  {tenants.Count * options.UsersPerTenant} client users, {clients.Count} of them signed in");

        var technicians = new List<Account>();
        for (var t = 0; t < options.Technicians; t++)
        {
            var invited = await Send(admin, HttpMethod.Post, "/api/staff", new { email = $"tech{t:00}.{run}@bench.example", displayName = $"Technician {t:00}", role = "Technician" });
            await Send(admin, HttpMethod.Put, $"/api/staff/{invited.GetProperty("id").GetGuid()}/tenants", new { allTenants = true, tenantIds = Array.Empty<Guid>() }, expectBody: false);
            technicians.Add(await AcceptAndSignInAsync(invited, null));
        }

        Console.WriteLine($"  {technicians.Count} technicians working for every tenant");
        await WaitUntilTicketsKnowsAsync(tenants.Count, tenants.Count * options.UsersPerTenant);
        if (options.Tickets > 0)
        {
            await SeedTicketsAsync();
        }

        return new DataSet(tenants, clients, technicians, [.. Things.Select(t => t.ToLowerInvariant().Split(' ')[0])]);
    }

    private async Task<Account> AcceptAndSignInAsync(JsonElement invitation, Guid? tenantId)
    {
        var email = invitation.GetProperty("email").GetString()!;
        await Send(null, HttpMethod.Post, "/api/auth/invitations/accept", new { token = invitation.GetProperty("invitationToken").GetString(), password = Password }, expectBody: false);
        return new Account(invitation.GetProperty("id").GetGuid(), tenantId, await SignInAsync(email, Password), email);
    }

    private async Task<string> SignInAsync(string email, string password) =>
        (await Send(null, HttpMethod.Post, "/api/auth/login", new { email, password })).GetProperty("accessToken").GetString()!;

    private async Task<JsonElement> Send(string? token, HttpMethod method, string url, object body, bool expectBody = true)
    {
        using var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await gateway.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return expectBody ? await response.Content.ReadFromJsonAsync<JsonElement>() : default;
    }

    private async Task WaitUntilTicketsKnowsAsync(int tenants, int users)
    {
        await using var db = await OpenTicketsDbAsync();
        for (var i = 0; i < 600; i++)
        {
            await using var count = new NpgsqlCommand(
                "SELECT (SELECT count(*) FROM known_tenants) >= $1 AND (SELECT count(*) FROM known_users WHERE tenant_id IS NOT NULL) >= $2", db);
            count.Parameters.Add(new NpgsqlParameter { Value = tenants });
            count.Parameters.Add(new NpgsqlParameter { Value = users });
            if ((bool)(await count.ExecuteScalarAsync())!)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The Tickets service did not learn of the seeded tenants and users.");
    }

    private async Task<NpgsqlConnection> OpenTicketsDbAsync()
    {
        var db = new NpgsqlConnection(options.TicketsDatabase);
        await db.OpenAsync();
        await using var scope = new NpgsqlCommand("SELECT set_config('msp.all_tenants', 'on', false)", db);
        await scope.ExecuteNonQueryAsync();
        return db;
    }

    /// <summary>Seconds a bulk statement may take: ten minutes, and more for data sets over a million tickets.</summary>
    private int SeedTimeout => Math.Max(600, options.Tickets / 1000);

    /// <summary>The ticket history of every seeded tenant, spread over the past year: mostly closed, some open.</summary>
    private async Task SeedTicketsAsync()
    {
        await using var db = await OpenTicketsDbAsync();
        await using var seed = new NpgsqlCommand("""
            WITH tenants AS (
                SELECT t.id, upper(t.slug) AS slug, row_number() OVER (ORDER BY t.id) - 1 AS n,
                       array_agg(u.id ORDER BY u.id) AS users
                FROM known_tenants t JOIN known_users u ON u.tenant_id = t.id
                WHERE NOT EXISTS (SELECT FROM tickets x WHERE x.tenant_id = t.id)
                GROUP BY t.id, t.slug),
            counted AS (SELECT count(*) AS c FROM tenants),
            rows AS (
                -- h: a hash of g, so that what a ticket is about does not follow from its tenant
                SELECT g, abs(hashint4(g)) AS h, t.*, (g / (SELECT c FROM counted)) + 1 AS number
                FROM generate_series(0, $1 - 1) g JOIN tenants t ON t.n = g % (SELECT c FROM counted))
            INSERT INTO tickets (id, tenant_id, number, reference, subject, description, requester_id, created_by, source, category,
                                 impact, urgency, priority, status, sequence, history_count, created_at, updated_at, resolved_at, closed_at, public_text)
            SELECT gen_random_uuid(), id, number, slug || '-' || number,
                   ($2::text[])[1 + (h % 20)] || ' ' || ($3::text[])[1 + (h / 20) % 10],
                   'Since ' || to_char(now() - (g % 365) * interval '1 day', 'FMDay') || ' the ' || lower(($2::text[])[1 + (h % 20)]) || ' ' || ($3::text[])[1 + (h / 7) % 10] || '. Ticket ' || g || '.',
                   users[1 + (h / 200) % array_length(users, 1)], users[1 + (h / 200) % array_length(users, 1)],
                   (ARRAY['Portal','Email','Phone','Api'])[1 + g % 4],
                   (ARRAY['hardware','software','network','email','access','printing','security','request','other'])[1 + g % 9],
                   (ARRAY['High','Medium','Low'])[1 + g % 3], (ARRAY['High','Medium','Low'])[1 + (g / 3) % 3],
                   (ARRAY['P1','P2','P3','P2','P3','P4','P3','P4','P4'])[1 + (g % 3) * 3 + (g / 3) % 3],
                   CASE WHEN g % 20 = 0 THEN 'New' WHEN g % 20 = 1 THEN 'Open' WHEN g % 20 = 2 THEN 'InProgress'
                        WHEN g % 20 = 3 THEN 'WaitingOnCustomer' WHEN g % 20 = 4 THEN 'Resolved' ELSE 'Closed' END,
                   1, 0,
                   now() - ($1 - g) * (interval '365 days' / $1), now() - ($1 - g) * (interval '365 days' / $1),
                   -- Resolved ones were resolved within the auto-close delay (older ones would be Closed already).
                   CASE WHEN g % 20 = 4 THEN now() - (g % 48) * interval '1 hour'
                        WHEN g % 20 > 4 THEN now() - ($1 - g) * (interval '365 days' / $1) + interval '4 hours' END,
                   CASE WHEN g % 20 >= 5 THEN now() - ($1 - g) * (interval '365 days' / $1) + interval '3 days' END,
                   CASE WHEN g % 3 = 0 THEN 'Have you tried restarting the ' || lower(($2::text[])[1 + (h % 20)]) || '?' ELSE '' END
            FROM rows
            """, db) { CommandTimeout = SeedTimeout };
        seed.Parameters.Add(new NpgsqlParameter { Value = options.Tickets });
        seed.Parameters.Add(new NpgsqlParameter { Value = Things });
        seed.Parameters.Add(new NpgsqlParameter { Value = Troubles });
        await seed.ExecuteNonQueryAsync();
        await using (var counters = new NpgsqlCommand("""
            INSERT INTO ticket_counters (tenant_id, last_number) SELECT tenant_id, max(number) FROM tickets GROUP BY tenant_id
            ON CONFLICT (tenant_id) DO UPDATE SET last_number = excluded.last_number
            """, db))
        {
            await counters.ExecuteNonQueryAsync();
        }

        // The SLA's next due instant of each ticket whose clocks run, as Slas announces it: from a day ago (breached) to
        // three days ahead. The queue "by time left" is ordered by it.
        await using (var due = new NpgsqlCommand("""
            INSERT INTO ticket_sla_due (ticket_id, tenant_id, revision, due_at, updated_at)
            SELECT id, tenant_id, 1, now() + (abs(hashtext(id::text)) % 96 - 24) * interval '1 hour', now()
            FROM tickets WHERE status IN ('New', 'Open', 'InProgress')
            ON CONFLICT (ticket_id) DO NOTHING
            """, db) { CommandTimeout = SeedTimeout })
        {
            await due.ExecuteNonQueryAsync();
        }

        // As after any bulk load: fresh statistics and a clean visibility map before the load starts.
        await using (var vacuum = new NpgsqlCommand("VACUUM ANALYZE tickets, ticket_sla_due", db) { CommandTimeout = SeedTimeout })
        {
            await vacuum.ExecuteNonQueryAsync();
        }

        await using var count = new NpgsqlCommand("SELECT count(*) FROM tickets", db);
        Console.WriteLine($"  {(long)(await count.ExecuteScalarAsync())!} tickets stored");
    }
}
