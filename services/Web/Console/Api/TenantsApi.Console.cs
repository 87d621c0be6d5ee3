using System.Globalization;

namespace Msp.Web.Api;

public sealed record ClientContact(string Name, string Email, string? Phone);

/// <summary>A client (a tenant) as the console shows it.</summary>
public sealed record Client(
    Guid Id, string Name, string Slug, string TimeZone, string Country, ClientContact? PrimaryContact, string Status, long Version,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>What an operator sets on a client.</summary>
public sealed record ClientDetails(string Name, string Slug, string TimeZone, string Country, ClientContact? PrimaryContact);

/// <summary>The console's calls to Tenants: clients and staff.</summary>
public sealed partial class TenantsApi
{
    public Task<Page<Client>> ClientsAsync(string? q, string? cursor, int limit, CancellationToken ct) =>
        GetAsync<Page<Client>>(Query("/api/tenants", ("q", q), ("cursor", cursor), ("limit", limit.ToString(CultureInfo.InvariantCulture))), "Clients", ct);

    /// <summary>Every client's name by id (pages of 200), for lists that name the client of each row.</summary>
    public async Task<Dictionary<Guid, string>> ClientNamesAsync(CancellationToken ct) =>
        (await TenantsAsync(int.MaxValue, ct)).ToDictionary(t => t.Id, t => t.Name);

    public Task<Client> ClientAsync(Guid id, CancellationToken ct) => GetAsync<Client>($"/api/tenants/{id}", "The client", ct);

    public Task<Client> CreateClientAsync(ClientDetails details, CancellationToken ct) =>
        SendAsync<Client>(HttpMethod.Post, "/api/tenants", details, "A client", ct);

    public Task<Client> UpdateClientAsync(Guid id, ClientDetails details, CancellationToken ct) =>
        SendAsync<Client>(HttpMethod.Put, $"/api/tenants/{id}", details, "The client", ct);

    /// <summary>Suspends the client: its users cannot sign in until it is reactivated (decision 0116).</summary>
    public Task<Client> SuspendClientAsync(Guid id, CancellationToken ct) =>
        SendAsync<Client>(HttpMethod.Post, $"/api/tenants/{id}/suspend", null, "The client", ct);

    public Task<Client> ReactivateClientAsync(Guid id, CancellationToken ct) =>
        SendAsync<Client>(HttpMethod.Post, $"/api/tenants/{id}/reactivate", null, "The client", ct);

    public Task<Page<StaffMember>> StaffAsync(string? q, string? cursor, int limit, CancellationToken ct) =>
        GetAsync<Page<StaffMember>>(Query("/api/staff", ("q", q), ("cursor", cursor), ("limit", limit.ToString(CultureInfo.InvariantCulture))), "Staff", ct);

    public Task<Invitation> InviteStaffAsync(string email, string displayName, string role, CancellationToken ct) =>
        SendAsync<Invitation>(HttpMethod.Post, "/api/staff", new { email, displayName, role }, "An invitation", ct);

    public Task ChangeStaffRoleAsync(Guid id, string role, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, $"/api/staff/{id}/role", new { role }, "A member of staff", ct);

    public Task AssignTenantsAsync(Guid id, bool allTenants, IReadOnlyList<Guid> tenantIds, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, $"/api/staff/{id}/tenants", new { allTenants, tenantIds }, "A technician's clients", ct);

    /// <summary>One member of staff, found in the staff list (which alone says which clients a technician serves).</summary>
    public async Task<StaffMember> StaffMemberAsync(Guid id, CancellationToken ct)
    {
        string? cursor = null;
        do
        {
            var page = await StaffAsync(null, cursor, 200, ct);
            if (page.Items.FirstOrDefault(m => m.Id == id) is { } member)
            {
                return member;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
        throw new ApiNotFoundException("A member of staff");
    }
}
