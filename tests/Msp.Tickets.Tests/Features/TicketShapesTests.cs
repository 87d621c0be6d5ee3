using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Contracts;
using Msp.Contracts.Tenants;
using Msp.ServiceDefaults.Tenancy;
using Msp.Testing;

namespace Msp.Tickets.Tests.Features;

/// <summary>The names, the time spent and the allowed moves that ticket answers carry for the screens.</summary>
[Collection(nameof(TicketsApiCollection))]
public sealed class TicketShapesTests(TicketsFactory factory)
{
    private static UserProfileChanged ProfileChanged(Caller user, string name, string email, DateTimeOffset at) => new()
    {
        EventId = EventIds.New(), TenantId = user.TenantId ?? Provider.TenantId, OccurredAt = at, UserId = user.Id,
        Email = email, DisplayName = name, Language = "fr", TimeZone = "Europe/Paris",
    };

    [Fact]
    public async Task Names_AppearOnceTheUsersAreHeardOf_AndFollowTheirProfileChanges()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var requester = await factory.InvitedAsync(Caller.Client(MspRoles.ClientUser, tenantId), "Claire Martin", "claire@acme.example");
        var technician = await factory.InvitedAsync(Caller.Staff(MspRoles.Operator), "Tom Tech", "tom@msp.example");
        var client = factory.ClientFor(requester);
        var staff = factory.ClientFor(technician);
        var id = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();
        var assigned = await (await staff.PostAsJsonAsync($"/api/tickets/{id}/assign", new { assigneeId = technician.Id })).JsonAsync(HttpStatusCode.OK);
        assigned.GetProperty("assigneeName").GetString().ShouldBe("Tom Tech");
        (await staff.PostAsJsonAsync($"/api/tickets/{id}/comments", new { body = "On it." })).EnsureSuccessStatusCode();

        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}");
        detail.GetProperty("requesterName").GetString().ShouldBe("Claire Martin");
        detail.GetProperty("requesterEmail").GetString().ShouldBe("claire@acme.example");
        detail.GetProperty("assigneeName").GetString().ShouldBe("Tom Tech");
        var summary = (await staff.GetFromJsonAsync<JsonElement>($"/api/tickets?tenantId={tenantId}")).GetProperty("items")[0];
        summary.GetProperty("requesterName").GetString().ShouldBe("Claire Martin");
        summary.GetProperty("assigneeName").GetString().ShouldBe("Tom Tech");
        summary.TryGetProperty("requesterEmail", out _).ShouldBeFalse("the e-mail is on the detail only");
        var comment = (await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}/comments")).GetProperty("items")[0];
        comment.GetProperty("authorName").GetString().ShouldBe("Tom Tech");

        await factory.DeliverAsync(ProfileChanged(requester, "Claire Dubois", "claire.dubois@acme.example", DateTimeOffset.UtcNow));
        await factory.DeliverAsync(ProfileChanged(requester, "An older name", "old@acme.example", DateTimeOffset.UtcNow.AddMinutes(-5)));

        detail = await staff.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}");
        detail.GetProperty("requesterName").GetString().ShouldBe("Claire Dubois");
        detail.GetProperty("requesterEmail").GetString().ShouldBe("claire.dubois@acme.example");
        (await client.GetFromJsonAsync<JsonElement>("/api/tickets")).GetProperty("items")[0].GetProperty("requesterName").GetString().ShouldBe("Claire Dubois");
    }

    [Fact]
    public async Task AProfileChangeThatOvertakesTheInvitation_Holds()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var user = Caller.Client(MspRoles.ClientUser, tenantId);
        await factory.DeliverAsync(ProfileChanged(user, "Newer Name", "newer@acme.example", DateTimeOffset.UtcNow));
        await factory.DeliverAsync(new UserInvited
        {
            EventId = EventIds.New(), TenantId = tenantId, OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-1), UserId = user.Id,
            Email = "invited@acme.example", DisplayName = "Invited Name", Role = MspRoles.ClientUser,
        });
        var id = (await TicketsFactory.OpenAsync(factory.ClientFor(user))).GetProperty("id").GetGuid();

        var detail = await factory.ClientFor(user).GetFromJsonAsync<JsonElement>($"/api/tickets/{id}");

        detail.GetProperty("requesterName").GetString().ShouldBe("Newer Name");
        (await factory.Database.ScalarAsync<string>("SELECT role FROM known_users WHERE id = $1", user.Id)).ShouldBe(MspRoles.ClientUser);
    }

    [Fact]
    public async Task ANameNotKnownYet_IsNull()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var stranger = Caller.Client(MspRoles.ClientUser, tenantId); // a valid token, but no event about them yet
        var client = factory.ClientFor(stranger);

        var opened = await TicketsFactory.OpenAsync(client);

        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{opened.GetProperty("id").GetGuid()}");
        detail.GetProperty("requesterName").ValueKind.ShouldBe(JsonValueKind.Null);
        detail.GetProperty("requesterEmail").ValueKind.ShouldBe(JsonValueKind.Null);
        detail.GetProperty("assigneeName").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task TimeSpent_IsShownToAClientAdminAndStaff_NotToAClientUser_AndLeavesOutDeletedEntries()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var requester = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var clientAdmin = factory.ClientFor(await factory.ClientUserAsync(tenantId, MspRoles.ClientAdmin));
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenantId));
        var id = (await TicketsFactory.OpenAsync(requester)).GetProperty("id").GetGuid();
        (await technician.PostAsJsonAsync($"/api/tickets/{id}/time-entries", new { minutes = 30, workType = "Remote" })).EnsureSuccessStatusCode();
        (await technician.PostAsJsonAsync($"/api/tickets/{id}/time-entries", new { minutes = 15, workType = "Remote" })).EnsureSuccessStatusCode();
        var deleted = await (await technician.PostAsJsonAsync($"/api/tickets/{id}/time-entries", new { minutes = 60, workType = "Remote" })).JsonAsync(HttpStatusCode.Created);
        (await technician.DeleteAsync($"/api/tickets/{id}/time-entries/{deleted.GetProperty("id").GetGuid()}")).EnsureSuccessStatusCode();

        (await clientAdmin.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}")).GetProperty("timeSpentMinutes").GetInt32().ShouldBe(45);
        (await technician.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}")).GetProperty("timeSpentMinutes").GetInt32().ShouldBe(45);
        (await requester.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}")).GetProperty("timeSpentMinutes").ValueKind.ShouldBe(JsonValueKind.Null);

        Minutes(await clientAdmin.GetFromJsonAsync<JsonElement>("/api/tickets?include=time")).ShouldBe(45);
        Minutes(await technician.GetFromJsonAsync<JsonElement>($"/api/tickets?tenantId={tenantId}&include=time")).ShouldBe(45);
        Minutes(await clientAdmin.GetFromJsonAsync<JsonElement>("/api/tickets")).ShouldBeNull("only behind include=time");
        Minutes(await requester.GetFromJsonAsync<JsonElement>("/api/tickets?include=time")).ShouldBeNull();

        static int? Minutes(JsonElement page)
        {
            var value = page.GetProperty("items")[0].GetProperty("timeSpentMinutes");
            return value.ValueKind == JsonValueKind.Null ? null : value.GetInt32();
        }
    }

    [Fact]
    public async Task AnUnknownInclude_IsNamed()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId, MspRoles.ClientAdmin));

        await (await client.GetAsync("/api/tickets?include=time,secrets")).ShouldNameAsync(HttpStatusCode.BadRequest, "include");
    }

    [Fact]
    public async Task AllowedStatuses_AreTheMovesTheCallerMayMake_OnTheDetailAndAlone()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var requester = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenantId));
        var id = (await TicketsFactory.OpenAsync(requester)).GetProperty("id").GetGuid();

        Statuses((await requester.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}")).GetProperty("allowedStatuses")).ShouldBe(["Cancelled"]);
        Statuses((await requester.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}/allowed-moves")).GetProperty("allowedStatuses")).ShouldBe(["Cancelled"]);
        Statuses((await technician.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}/allowed-moves")).GetProperty("allowedStatuses"))
            .ShouldBe(["Open", "InProgress", "WaitingOnCustomer", "WaitingOnThirdParty", "Resolved", "Cancelled"]);

        var resolved = await (await technician.PostAsJsonAsync($"/api/tickets/{id}/status", new { status = "Resolved" })).JsonAsync(HttpStatusCode.OK);
        Statuses(resolved.GetProperty("allowedStatuses")).ShouldBe(["Open", "Closed"]);
        Statuses((await requester.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}/allowed-moves")).GetProperty("allowedStatuses")).ShouldBe(["Open", "Closed"]);

        await factory.Database.ScalarAsync<int>("UPDATE tickets SET resolved_at = now() - interval '8 days' WHERE id = $1 RETURNING 1", id);
        Statuses((await requester.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}/allowed-moves")).GetProperty("allowedStatuses")).ShouldBe(["Closed"]);

        static string[] Statuses(JsonElement list) => [.. list.EnumerateArray().Select(s => s.GetString()!)];
    }

    [Fact]
    public async Task AllowedMoves_OfAColleaguesOrAnotherTenantsTicket_AreNotFound()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var (otherTenant, _) = await factory.TenantAsync();
        var colleague = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var id = (await TicketsFactory.OpenAsync(colleague)).GetProperty("id").GetGuid();

        (await factory.ClientFor(await factory.ClientUserAsync(tenantId)).GetAsync($"/api/tickets/{id}/allowed-moves")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await factory.ClientFor(await factory.ClientUserAsync(otherTenant, MspRoles.ClientAdmin)).GetAsync($"/api/tickets/{id}/allowed-moves")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await factory.ClientFor(await factory.ClientUserAsync(tenantId, MspRoles.ClientAdmin)).GetAsync($"/api/tickets/{id}/allowed-moves")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await factory.CreateClient().GetAsync($"/api/tickets/{id}/allowed-moves")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
