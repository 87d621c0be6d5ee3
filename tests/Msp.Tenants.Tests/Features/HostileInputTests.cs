using System.Net;
using System.Net.Http.Json;
using Msp.Tenants.Domain;
using Msp.Testing;

namespace Msp.Tenants.Tests.Features;

/// <summary>The cases of issue 24 found in the Tenants service, each answered 4xx with a problem document naming the
/// field, and nothing written.</summary>
[Collection(nameof(TenantsCollection))]
public sealed class HostileInputTests(TenantsFactory factory)
{
    private const string Nul = "Acme\u0000Dental";

    private Task<long> RowsAsync() => factory.Database.ScalarAsync<long>(
        "SELECT (SELECT count(*) FROM tenants) + (SELECT count(*) FROM users) + (SELECT count(*) FROM outbox) + (SELECT coalesce(sum(xmin::text::bigint), 0) FROM tenants)");

    [Fact]
    public async Task ANulInATenantsName_Answers400NamingName_AndWritesNothing()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var before = await RowsAsync();
        var body = new { name = Nul, slug = TenantsFactory.UniqueSlug(), timeZone = "Europe/Paris", country = "FR" };

        await (await factory.Admin.PostAsJsonAsync("/api/tenants", body)).ShouldNameFieldAsync(HttpStatusCode.BadRequest, "name");
        await (await factory.Admin.PutAsJsonAsync($"/api/tenants/{tenant}", body)).ShouldNameFieldAsync(HttpStatusCode.BadRequest, "name");
        var loneSurrogate = $$$"""{"name":"Acme","slug":"{{{TenantsFactory.UniqueSlug()}}}","timeZone":"Europe/Paris","country":"FR","primaryContact":{"name":"Claire","email":"it@acme.example","phone":"\ud800"}}""";
        await (await factory.Admin.PostAsync("/api/tenants", new StringContent(loneSurrogate, System.Text.Encoding.UTF8, "application/json")))
            .ShouldNameFieldAsync(HttpStatusCode.BadRequest, "primaryContact.phone");

        (await RowsAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task ANulInAUsersOrAStaffMembersName_Answers400NamingDisplayName_AndInvitesNobody()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var before = await RowsAsync();

        await (await factory.Admin.PostAsJsonAsync($"/api/tenants/{tenant}/users", new { email = "nul@tests.local", displayName = Nul, role = Roles.ClientUser }))
            .ShouldNameFieldAsync(HttpStatusCode.BadRequest, "displayName");
        await (await factory.Admin.PostAsJsonAsync("/api/staff", new { email = "nul-staff@tests.local", displayName = Nul, role = Roles.Technician }))
            .ShouldNameFieldAsync(HttpStatusCode.BadRequest, "displayName");
        await (await factory.Admin.GetAsync("/api/tenants?q=a%00b")).ShouldNameFieldAsync(HttpStatusCode.BadRequest, "q");

        (await RowsAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task A409_IsAProblemDocument_EvenWhenTheCallerAsksForXml()
    {
        var taken = TenantsFactory.UniqueSlug();
        await factory.CreateTenantAsync(factory.Admin, taken);
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/tenants/{tenant}") { Content = JsonContent.Create(TenantsFactory.NewTenant(taken)) };
        request.Headers.Accept.ParseAdd("application/xml");

        var conflict = await factory.Admin.SendAsync(request);

        await conflict.ShouldNameFieldAsync(HttpStatusCode.Conflict, "slug");
        var missing = new HttpRequestMessage(HttpMethod.Get, $"/api/tenants/{Guid.CreateVersion7()}");
        missing.Headers.Accept.ParseAdd("text/html");
        var notFound = await factory.Admin.SendAsync(missing);
        notFound.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        notFound.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task InvitingTheSameEmailEightTimesAtOnce_InvitesOnce_AndTheOthersAre409NamingEmail()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var email = $"same{Guid.NewGuid():N}@tests.local";
        using var start = new SemaphoreSlim(0);
        var sending = Enumerable.Range(0, 8).Select(async _ =>
        {
            await start.WaitAsync();
            return await factory.Admin.PostAsJsonAsync($"/api/tenants/{tenant}/users", new { email, displayName = "Same", role = Roles.ClientUser });
        }).ToList();
        start.Release(8);
        var answers = await Task.WhenAll(sending);

        answers.Count(a => a.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        foreach (var loser in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
        {
            await loser.ShouldNameFieldAsync(HttpStatusCode.Conflict, "email");
        }

        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM users WHERE normalized_email = upper($1)", email)).ShouldBe(1);
    }

    [Fact]
    public async Task SettingATechniciansTenantsEightTimesAtOnce_SetsThemOnce_WithoutA500()
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var technician = await factory.CreateUserAsync(Roles.Technician, "a long enough password");
        using var start = new SemaphoreSlim(0);
        var sending = Enumerable.Range(0, 8).Select(async _ =>
        {
            await start.WaitAsync();
            return await factory.Admin.PutAsJsonAsync($"/api/staff/{technician.Id}/tenants", new { allTenants = false, tenantIds = new[] { tenant } });
        }).ToList();
        start.Release(8);
        var answers = await Task.WhenAll(sending);

        answers.ShouldAllBe(a => a.StatusCode == HttpStatusCode.NoContent);
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM technician_tenants WHERE user_id = $1", technician.Id)).ShouldBe(1);
        (await factory.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox WHERE message_type LIKE '%TechnicianScopeChanged' AND payload->>'userId' = $1", technician.Id.ToString())).ShouldBe(1);
    }
}
