extern alias slas;
extern alias tenants;
extern alias tickets;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Testing;

namespace Msp.EndToEnd;

/// <summary>A service that joins a running platform late comes to know the tenants and users made before it, with no
/// manual step, and a service that knew them all along changes nothing when they are announced again (decision 0128).</summary>
public sealed class LateServiceTests(LateServicePlatform platform) : IClassFixture<LateServicePlatform>
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AServiceStartedAfterTheTenantsAndUsersWereMade_ComesToKnowThem_AndServesTheirUsers()
    {
        var tickets = platform.Tickets.Database;
        await HeardAsync(tickets, await AnswerToTicketsAsync(), "Tickets");

        (await tickets.ScalarAsync<long>("SELECT count(*) FROM known_tenants WHERE id = $1 AND version = 2", platform.TenantId)).ShouldBe(1, "the tenant at its current version");
        (await tickets.ScalarAsync<long>("SELECT count(*) FROM known_users")).ShouldBe(await platform.Tenants.Database.ScalarAsync<long>("SELECT count(*) FROM users"));
        (await tickets.ScalarAsync<string>("SELECT assigned_tenants::text FROM known_users WHERE id = $1", platform.Technician.Id)).ShouldBe($"{{{platform.TenantId}}}");
        (await LateServicePlatform.UsersAsync(tickets)).ShouldBe(await LateServicePlatform.UsersAsync(platform.Slas.Database),
            "each user's copy as the one kept from the events as they happened: role, tenants, profile and every instant tokens are checked against");

        var opened = await platform.Tickets.CreateClient().SignedIn(platform.Client.Token).PostAsJsonAsync("/api/tickets", new
        {
            subject = "Printer offline", description = "Since this morning.", impact = "Low", urgency = "Low",
        });
        opened.StatusCode.ShouldBe(HttpStatusCode.Created, await opened.Content.ReadAsStringAsync());
        var ticketId = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var seen = await platform.Tickets.CreateClient().SignedIn(platform.Technician.Token).GetAsync($"/api/tickets/{ticketId}");
        seen.StatusCode.ShouldBe(HttpStatusCode.OK, "the technician serves the tenant they were assigned before Tickets started");
    }

    [Fact]
    public async Task AServiceThatKnewEveryoneAlready_ChangesNoRow_WhenTheyAreAnnouncedAgain()
    {
        var answer = await AnswerToTicketsAsync();
        answer.Length.ShouldBeGreaterThan(3, "the tenant and the users were announced");

        await HeardAsync(platform.Slas.Database, answer, "Slas");

        (await LateServicePlatform.CopiesAsync(platform.Slas.Database)).ShouldBe(platform.SlasCopiesBefore, "not a row of Slas' copies was written again");
    }

    /// <summary>Waits until the service's copies took every event of <paramref name="answer"/> (each has one known-parties consumer).</summary>
    private static Task HeardAsync(TestDatabase database, Guid[] answer, string service) => Eventually.HoldsAsync(async () =>
            await database.ScalarAsync<long>("SELECT count(*) FROM inbox WHERE event_id = ANY($1) AND consumer LIKE 'known-%'", answer) == answer.Length,
        Delivery, $"{service} hears every event of the answer to Tickets' request");

    /// <summary>The events the Tenants service announced in answer to the Tickets service's request, once published.</summary>
    private async Task<Guid[]> AnswerToTicketsAsync()
    {
        var request = await platform.Tickets.Database.ScalarAsync<Guid>(
            "SELECT id FROM outbox WHERE message_type = 'Msp.Contracts.Tenants.KnownPartiesRequested'");
        var tenants = platform.Tenants.Database;
        await Eventually.HoldsAsync(async () => await tenants.ScalarAsync<long>(
                "SELECT count(*) FROM outbox WHERE correlation_id = $1 AND published_at IS NOT NULL AND message_type = 'Msp.Contracts.Tenants.UserInvited'", request.ToString())
            == await tenants.ScalarAsync<long>("SELECT count(*) FROM users"), Delivery, "Tenants answers the request");
        var ids = await tenants.ScalarAsync<string>("SELECT string_agg(id::text, ',') FROM outbox WHERE correlation_id = $1", request.ToString());
        return [.. ids.Split(',').Select(Guid.Parse)];
    }
}

/// <summary>Tenants and Slas hosted in this process from the start, on one virtual host and a shared key ring; a tenant
/// (updated once), a client user who changed their profile, a technician assigned to the tenant, a deactivated user, a
/// user deactivated and reactivated and a technician made an operator, all through the Tenants API; and only then
/// Tickets, on a database of its own that knows no one.</summary>
public sealed class LateServicePlatform : IAsyncLifetime
{
    private const string AdminEmail = "admin@late.tests";
    private const string AdminPassword = "late service admin password";
    private const string Password = "late service user password";

    private readonly string keys = Directory.CreateTempSubdirectory("msp-late-keys").FullName;

    public ServiceFactory<tenants::Program> Tenants { get; private set; } = null!;

    public ServiceFactory<slas::Program> Slas { get; private set; } = null!;

    public ServiceFactory<tickets::Program> Tickets { get; private set; } = null!;

    public Guid TenantId { get; private set; }

    public (Guid Id, string Token) Client { get; private set; }

    public (Guid Id, string Token) Technician { get; private set; }

    public Guid Deactivated { get; private set; }

    public Guid Reactivated { get; private set; }

    public Guid Promoted { get; private set; }

    /// <summary>Every row of Slas' copies of tenants and users, with its row version, once it knew everyone.</summary>
    public string SlasCopiesBefore { get; private set; } = "";

    /// <summary>What a service's copy says of each user, its bookkeeping (when the row was written) left out.</summary>
    public static Task<string> UsersAsync(TestDatabase database) => database.ScalarAsync<string>("""
        SELECT string_agg(concat_ws(',', id, tenant_id, email, display_name, role, all_tenants, assigned_tenants, sessions_valid_from, deactivated_at,
                                    reactivated_at, role_changed_at, profile_at), '|' ORDER BY id)
        FROM known_users
        """);

    /// <summary>Every row of a service's copies of tenants and users, with PostgreSQL's row version (which any update moves).</summary>
    public static Task<string> CopiesAsync(TestDatabase database) => database.ScalarAsync<string>("""
        SELECT (SELECT string_agg(t::text || '@' || t.xmin::text, '|' ORDER BY t.id) FROM known_tenants t)
            || '#' || (SELECT string_agg(u::text || '@' || u.xmin::text, '|' ORDER BY u.id) FROM known_users u)
        """);

    public async Task InitializeAsync()
    {
        Tenants = new ServiceFactory<tenants::Program>
        {
            Settings = { ["Msp:DataProtection:KeysPath"] = keys, ["MSP_ADMIN_EMAIL"] = AdminEmail, ["MSP_ADMIN_PASSWORD"] = AdminPassword },
        };
        await Tenants.InitializeAsync();
        Slas = new ServiceFactory<slas::Program> { JoinRabbitMq = Tenants.RabbitMqUri, Settings = { ["Msp:DataProtection:KeysPath"] = keys } };
        await Slas.InitializeAsync();

        var admin = Tenants.CreateClient().SignedIn(await SignInAsync(AdminEmail, AdminPassword));
        var slug = "late" + Guid.NewGuid().ToString("N")[..8];
        var tenant = new { name = "Late Dental", slug, timeZone = "Europe/Paris", country = "FR" };
        var created = await admin.PostAsJsonAsync("/api/tenants", tenant);
        created.EnsureSuccessStatusCode();
        TenantId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await admin.PutAsJsonAsync($"/api/tenants/{TenantId}", tenant with { name = "Late Dental Care" })).EnsureSuccessStatusCode();
        Client = await AcceptedAsync(admin, $"/api/tenants/{TenantId}/users", "ClientUser");
        Technician = await AcceptedAsync(admin, "/api/staff", "Technician", assign: true);
        Deactivated = (await AcceptedAsync(admin, $"/api/tenants/{TenantId}/users", "ClientUser")).Id;
        (await admin.PostAsync($"/api/users/{Deactivated}/deactivate", null)).EnsureSuccessStatusCode();
        Reactivated = (await AcceptedAsync(admin, $"/api/tenants/{TenantId}/users", "ClientUser")).Id;
        (await admin.PostAsync($"/api/users/{Reactivated}/deactivate", null)).EnsureSuccessStatusCode();
        (await admin.PostAsync($"/api/users/{Reactivated}/reactivate", null)).EnsureSuccessStatusCode();
        Promoted = (await AcceptedAsync(admin, "/api/staff", "Technician")).Id;
        (await admin.PutAsJsonAsync($"/api/staff/{Promoted}/role", new { role = "Operator" })).EnsureSuccessStatusCode();
        (await Tenants.CreateClient().SignedIn(Client.Token).PutAsJsonAsync("/api/auth/me/profile",
            new { displayName = "Client renamed", language = "it", timeZone = "Europe/Rome" })).EnsureSuccessStatusCode();

        // Slas heard every event as it happened (and, asking at its own start, of the first Admin made before it).
        await Eventually.HoldsAsync(async () =>
                await Slas.Database.ScalarAsync<long>("SELECT count(*) FROM known_tenants WHERE id = $1 AND version = 2", TenantId) == 1
                && await Slas.Database.ScalarAsync<long>("SELECT count(*) FROM known_users") == await Tenants.Database.ScalarAsync<long>("SELECT count(*) FROM users")
                && await Slas.Database.ScalarAsync<long>("SELECT count(*) FROM known_users WHERE id = $1 AND deactivated_at IS NOT NULL", Deactivated) == 1
                && await Slas.Database.ScalarAsync<long>("SELECT count(*) FROM known_users WHERE id = $1 AND sessions_valid_from IS NOT NULL", Technician.Id) == 1
                && await Slas.Database.ScalarAsync<long>("SELECT count(*) FROM known_users WHERE id = $1 AND reactivated_at IS NOT NULL", Reactivated) == 1
                && await Slas.Database.ScalarAsync<long>("SELECT count(*) FROM known_users WHERE id = $1 AND role_changed_at IS NOT NULL", Promoted) == 1
                && await Slas.Database.ScalarAsync<long>("SELECT count(*) FROM known_users WHERE id = $1 AND display_name = 'Client renamed'", Client.Id) == 1,
            TimeSpan.FromSeconds(60), "Slas knows every tenant and user as they are");
        SlasCopiesBefore = await CopiesAsync(Slas.Database);

        Tickets = new ServiceFactory<tickets::Program>
        {
            JoinRabbitMq = Tenants.RabbitMqUri,
            Settings = { ["Msp:DataProtection:KeysPath"] = keys, ["Msp:Tickets:AutoCloseSchedule"] = "0 0 31 2 *" },
        };
        await Tickets.InitializeAsync();
    }

    private async Task<string> SignInAsync(string email, string password)
    {
        var login = await Tenants.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password });
        login.EnsureSuccessStatusCode();
        return (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    /// <summary>Invites someone, accepts the invitation, assigns a technician to the tenant, and signs them in.</summary>
    private async Task<(Guid Id, string Token)> AcceptedAsync(HttpClient admin, string path, string role, bool assign = false)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@late.tests";
        var invited = await admin.PostAsJsonAsync(path, new { email, displayName = role + " of the late tests", role });
        invited.EnsureSuccessStatusCode();
        var invitation = await invited.Content.ReadFromJsonAsync<JsonElement>();
        var id = invitation.GetProperty("id").GetGuid();
        (await Tenants.CreateClient().PostAsJsonAsync("/api/auth/invitations/accept",
            new { token = invitation.GetProperty("invitationToken").GetString(), password = Password })).EnsureSuccessStatusCode();
        if (assign)
        {
            (await admin.PutAsJsonAsync($"/api/staff/{id}/tenants", new { allTenants = false, tenantIds = new[] { TenantId } })).EnsureSuccessStatusCode();
        }

        return (id, await SignInAsync(email, Password));
    }

    public async Task DisposeAsync()
    {
        foreach (var host in new IAsyncDisposable?[] { Tickets, Slas, Tenants })
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }
        }

        Directory.Delete(keys, recursive: true);
    }
}
