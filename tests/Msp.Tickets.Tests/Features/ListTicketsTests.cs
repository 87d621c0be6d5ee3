using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Data;
using Msp.ServiceDefaults.Identity;
using Msp.KnownParties;

namespace Msp.Tickets.Tests.Features;

[Collection(nameof(TicketsApiCollection))]
public sealed class ListTicketsTests(TicketsFactory factory)
{
    private static List<Guid> Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetGuid())];

    [Fact]
    public async Task Search_FindsSubjectDescriptionAndPublicReplies_ButNotInternalNotes()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var technician = factory.ClientFor(await factory.TechnicianAsync(tenantId));
        var word = "zq" + Guid.NewGuid().ToString("N")[..8];
        var bySubject = (await TicketsFactory.OpenAsync(client, TicketsFactory.NewTicket($"VPN {word} drops"))).GetProperty("id").GetGuid();
        var byReply = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();
        var byNote = (await TicketsFactory.OpenAsync(client)).GetProperty("id").GetGuid();
        (await technician.PostAsJsonAsync($"/api/tickets/{byReply}/comments", new { body = $"Try the {word} profile" })).EnsureSuccessStatusCode();
        (await technician.PostAsJsonAsync($"/api/tickets/{byNote}/comments", new { body = $"internal {word}", visibility = "Internal" })).EnsureSuccessStatusCode();

        var found = Ids(await technician.GetFromJsonAsync<JsonElement>($"/api/tickets?q={word}"));

        found.ShouldBe([byReply, bySubject]);
    }

    [Fact]
    public async Task ViewMine_ForAClientAdmin_KeepsTheTicketsTheyAskedFor_NotTheirColleagues()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var admin = factory.ClientFor(await factory.ClientUserAsync(tenantId, MspRoles.ClientAdmin));
        var colleague = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var own = (await TicketsFactory.OpenAsync(admin)).GetProperty("id").GetGuid();
        var theirs = (await TicketsFactory.OpenAsync(colleague)).GetProperty("id").GetGuid();

        Ids(await admin.GetFromJsonAsync<JsonElement>("/api/tickets?view=mine")).ShouldBe([own]);
        Ids(await admin.GetFromJsonAsync<JsonElement>("/api/tickets")).ShouldBe([theirs, own]);
    }

    [Theory]
    [InlineData("{0}-fi")]
    [InlineData("{0}")]
    [InlineData("\"{0}-fi router\"")]
    [InlineData("{0}-fi -printer")]
    public async Task HyphenatedWords_AreFound_WholeByPart_AndInAQuotedPhrase(string query)
    {
        var (tenantId, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var word = "zq" + Guid.NewGuid().ToString("N")[..8];
        var id = (await TicketsFactory.OpenAsync(client, TicketsFactory.NewTicket($"{word}-fi router keeps dropping"))).GetProperty("id").GetGuid();
        await TicketsFactory.OpenAsync(client, TicketsFactory.NewTicket($"{word}-fi printer is offline"));

        var found = Ids(await client.GetFromJsonAsync<JsonElement>($"/api/tickets?q={Uri.EscapeDataString(string.Format(query, word))}"));

        found.ShouldContain(id);
        found.Count.ShouldBe(query.Contains("router") || query.Contains("-printer") ? 1 : 2);
    }

    [Theory]
    [InlineData("O'Brien's laptop")]
    [InlineData("'); DROP TABLE tickets; --")]
    [InlineData("\\' OR 1=1 --")]
    public async Task SearchWords_AreText_NeverSql(string q)
    {
        var (tenantId, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var id = (await TicketsFactory.OpenAsync(client, TicketsFactory.NewTicket("O'Brien's laptop will not boot"))).GetProperty("id").GetGuid();

        var response = await client.GetAsync($"/api/tickets?q={Uri.EscapeDataString(q)}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE id = $1", id)).ShouldBe(1);
        if (q.StartsWith("O'Brien", StringComparison.Ordinal))
        {
            Ids(await TicketsFactory.ReadAsync(response)).ShouldBe([id]);
        }
    }

    [Fact]
    public async Task Filters_AndKeysetPages_CoverEveryTicketOnceInAStableOrder()
    {
        var (tenantId, _) = await factory.TenantAsync();
        var client = factory.ClientFor(await factory.ClientUserAsync(tenantId));
        var technicianCaller = await factory.TechnicianAsync(tenantId);
        var technician = factory.ClientFor(technicianCaller);
        var ids = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add((await TicketsFactory.OpenAsync(client, TicketsFactory.NewTicket(impact: i % 2 == 0 ? "High" : "Low", urgency: "High"))).GetProperty("id").GetGuid());
        }

        (await technician.PostAsJsonAsync($"/api/tickets/{ids[0]}/assign", new { assigneeId = technicianCaller.Id })).EnsureSuccessStatusCode();
        (await technician.PostAsJsonAsync($"/api/tickets/{ids[1]}/status", new { status = "InProgress" })).EnsureSuccessStatusCode();

        var pages = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await technician.GetFromJsonAsync<JsonElement>($"/api/tickets?tenantId={tenantId}&limit=3" + (cursor is null ? "" : $"&cursor={cursor}"));
            pages.AddRange(Ids(page));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        pages.ShouldBe(Enumerable.Reverse(ids).ToList());
        Ids(await technician.GetFromJsonAsync<JsonElement>($"/api/tickets?tenantId={tenantId}&sort=oldest&limit=2")).ShouldBe(ids.Take(2).ToList());
        Ids(await technician.GetFromJsonAsync<JsonElement>($"/api/tickets?tenantId={tenantId}&priority=P1")).Count.ShouldBe(4);
        Ids(await technician.GetFromJsonAsync<JsonElement>($"/api/tickets?tenantId={tenantId}&status=InProgress")).ShouldBe([ids[1]]);
        Ids(await technician.GetFromJsonAsync<JsonElement>($"/api/tickets?tenantId={tenantId}&status=InProgress,Resolved")).ShouldBe([ids[1]]);
        Ids(await technician.GetFromJsonAsync<JsonElement>($"/api/tickets?tenantId={tenantId}&status=New&limit=2")).ShouldBe(Enumerable.Reverse(ids).Where(id => id != ids[1]).Take(2).ToList());
        Ids(await technician.GetFromJsonAsync<JsonElement>($"/api/tickets?view=mine")).ShouldBe([ids[0]]);
        Ids(await technician.GetFromJsonAsync<JsonElement>($"/api/tickets?tenantId={tenantId}&view=unassigned")).Count.ShouldBe(6);
        var counts = await technician.GetFromJsonAsync<JsonElement>($"/api/tickets/counts?tenantId={tenantId}");
        counts.GetProperty("total").GetInt32().ShouldBe(7);
        counts.GetProperty("byStatus").GetProperty("New").GetInt32().ShouldBe(6);
        counts.GetProperty("byStatus").GetProperty("InProgress").GetInt32().ShouldBe(1);
    }

    [Theory]
    [InlineData("status=Sleeping", "status")]
    [InlineData("priority=P9", "priority")]
    [InlineData("tenantId=acme", "tenantId")]
    [InlineData("createdFrom=yesterday", "createdFrom")]
    [InlineData("view=everything", "view")]
    [InlineData("sort=random", "sort")]
    [InlineData("limit=0", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    public async Task AFilterThatDoesNotRead_Answers400NamingIt(string query, string field)
    {
        var technician = factory.ClientFor(await factory.TechnicianAsync());

        var response = await technician.GetAsync($"/api/tickets?{query}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await TicketsFactory.ReadAsync(response)).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }
}
