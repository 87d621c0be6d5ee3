extern alias mail;
extern alias tenants;
extern alias tickets;

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Testing;

namespace Msp.Mail.Tests;

/// <summary>A person of the platform, signed in: their id, address and a client that carries their token (the services
/// share one key ring, so the Tenants service's tokens open Tickets and Mail too).</summary>
public sealed record Person(Guid Id, string Email, string Password, HttpClient Client);

/// <summary>Tenants, Tickets and Mail hosted in this process on one virtual host, each with its own database, the Mail
/// service sending through the real mail server and reading its own support address from the real IMAP mailbox.
/// Tenants and people are made through the Tenants API, so every service hears of them as in production.</summary>
public sealed class MailPlatform : IAsyncLifetime
{
    public const string AdminEmail = "admin@platform.tests";
    public const string AdminPassword = "correct horse battery staple";
    public const string PortalUrl = "http://portal.tests";

    private readonly string keys = Directory.CreateTempSubdirectory("msp-mail-keys").FullName;

    public string SupportAddress { get; } = $"support-{Guid.NewGuid():N}"[..20] + "@mail.test";

    public MailServer MailServer { get; } = MailServer.Shared;

    public ServiceFactory<tenants::Program> Tenants { get; private set; } = null!;

    public ServiceFactory<tickets::Program> Tickets { get; private set; } = null!;

    public ServiceFactory<mail::Program> Mail { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public string AttachmentsPath { get; } = Path.Combine(Path.GetTempPath(), "msp-mail-tests-attachments", Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        Tenants = new ServiceFactory<tenants::Program>
        {
            Settings = { ["Msp:DataProtection:KeysPath"] = keys, ["MSP_ADMIN_EMAIL"] = AdminEmail, ["MSP_ADMIN_PASSWORD"] = AdminPassword },
        };
        await Tenants.InitializeAsync();
        Tickets = new ServiceFactory<tickets::Program>
        {
            JoinRabbitMq = Tenants.RabbitMqUri,
            Settings =
            {
                ["Msp:DataProtection:KeysPath"] = keys, ["Msp:Tickets:AttachmentsPath"] = AttachmentsPath, ["Msp:Tickets:AutoCloseSchedule"] = "0 0 31 2 *",
            },
        };
        await Tickets.InitializeAsync();
        Mail = new ServiceFactory<mail::Program> { JoinRabbitMq = Tenants.RabbitMqUri };
        foreach (var (key, value) in MailServer.SettingsFor(SupportAddress))
        {
            Mail.Settings[key] = value;
        }

        Mail.Settings["Msp:DataProtection:KeysPath"] = keys;
        Mail.Settings["Msp:Mail:PortalUrl"] = PortalUrl;
        await Mail.InitializeAsync();
        Admin = await SignInAsync(AdminEmail, AdminPassword);
    }

    public async Task<HttpClient> SignInAsync(string email, string password)
    {
        var client = Tenants.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A client of the service with the caller's token.</summary>
    public static HttpClient As<T>(ServiceFactory<T> service, Person person) where T : class
    {
        var client = service.CreateClient();
        client.DefaultRequestHeaders.Authorization = person.Client.DefaultRequestHeaders.Authorization;
        return client;
    }

    /// <summary>A new tenant through the Tenants API, once Tickets and Mail know it.</summary>
    public async Task<(Guid Id, string Slug)> TenantAsync(params string[] emailDomains)
    {
        var slug = "m" + Guid.NewGuid().ToString("N")[..10];
        var response = await Admin.PostAsJsonAsync("/api/tenants", new { name = "Tenant " + slug, slug, timeZone = "Europe/Paris", country = "FR", emailDomains });
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await Eventually.HoldsAsync(async () =>
            await Tickets.Database.ScalarAsync<long>("SELECT count(*) FROM known_tenants WHERE id = $1", id) == 1 &&
            await Mail.Database.ScalarAsync<long>("SELECT count(*) FROM tenant_mail_domains WHERE tenant_id = $1", id) == 1 &&
            await Mail.Database.ScalarAsync<long>("SELECT count(*) FROM known_tenants WHERE id = $1", id) == 1, TimeSpan.FromSeconds(60), "Tickets and Mail know the tenant");
        return (id, slug);
    }

    /// <summary>A client's user invited and signed in through the Tenants API, once Tickets and Mail know them.</summary>
    public async Task<Person> ClientAsync(Guid tenantId, string role = "ClientUser", string? email = null)
    {
        email ??= $"c{Guid.NewGuid():N}"[..13] + "@client.tests";
        var invited = await Admin.PostAsJsonAsync($"/api/tenants/{tenantId}/users", new { email, displayName = "Client " + email[..6], role });
        invited.EnsureSuccessStatusCode();
        return await AcceptAsync(await invited.Content.ReadFromJsonAsync<JsonElement>(), email);
    }

    /// <summary>A technician invited, given the tenants and signed in, once Tickets and Mail know their tenants.</summary>
    public async Task<Person> TechnicianAsync(params Guid[] tenantIds)
    {
        var email = $"t{Guid.NewGuid():N}"[..13] + "@staff.tests";
        var invited = await Admin.PostAsJsonAsync("/api/staff", new { email, displayName = "Tech " + email[..6], role = "Technician" });
        invited.EnsureSuccessStatusCode();
        var body = await invited.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetGuid();
        (await Admin.PutAsJsonAsync($"/api/staff/{id}/tenants", new { allTenants = false, tenantIds })).EnsureSuccessStatusCode();
        var person = await AcceptAsync(body, email);
        await Eventually.HoldsAsync(async () =>
            await Tickets.Database.ScalarAsync<long>("SELECT count(*) FROM known_users WHERE id = $1 AND cardinality(assigned_tenants) = $2", id, tenantIds.Length) == 1 &&
            await Mail.Database.ScalarAsync<long>("SELECT count(*) FROM known_users WHERE id = $1 AND cardinality(assigned_tenants) = $2", id, tenantIds.Length) == 1,
            TimeSpan.FromSeconds(60), "Tickets and Mail know the technician's tenants");
        return person;
    }

    private async Task<Person> AcceptAsync(JsonElement invitation, string email)
    {
        var id = invitation.GetProperty("id").GetGuid();
        var password = "pw " + Guid.NewGuid().ToString("N");
        var accepted = await Tenants.CreateClient().PostAsJsonAsync("/api/auth/invitations/accept", new { token = invitation.GetProperty("invitationToken").GetString(), password });
        accepted.EnsureSuccessStatusCode();
        await Eventually.HoldsAsync(async () =>
            await Tickets.Database.ScalarAsync<long>("SELECT count(*) FROM known_users WHERE id = $1", id) == 1 &&
            await Mail.Database.ScalarAsync<long>("SELECT count(*) FROM known_users WHERE id = $1", id) == 1, TimeSpan.FromSeconds(60), "Tickets and Mail know the user");
        return new Person(id, email, password, await SignInAsync(email, password));
    }

    /// <summary>The tickets of a tenant with this subject, as the Tickets service stores them.</summary>
    public Task<long> TicketsWithSubjectAsync(Guid tenantId, string subject) =>
        Tickets.Database.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE tenant_id = $1 AND subject = $2", tenantId, subject);

    /// <summary>Waits for the ticket the mail with <paramref name="subject"/> opened in the tenant; answers its id and reference.</summary>
    public async Task<(Guid Id, string Reference)> TicketFromMailAsync(Guid tenantId, string subject, TimeSpan? within = null)
    {
        await Eventually.HoldsAsync(async () => await TicketsWithSubjectAsync(tenantId, subject) >= 1, within ?? TimeSpan.FromSeconds(30), $"a ticket '{subject}' opens");
        var id = Guid.Parse(await Tickets.Database.ScalarAsync<string>("SELECT id::text FROM tickets WHERE tenant_id = $1 AND subject = $2", tenantId, subject));
        var reference = await Tickets.Database.ScalarAsync<string>("SELECT reference FROM tickets WHERE id = $1", id);
        return (id, reference);
    }

    public async Task DisposeAsync()
    {
        await Mail.DisposeAsync();
        await Tickets.DisposeAsync();
        await Tenants.DisposeAsync();
    }
}

[CollectionDefinition(nameof(MailPlatformCollection))]
public sealed class MailPlatformCollection : ICollectionFixture<MailPlatform>;
