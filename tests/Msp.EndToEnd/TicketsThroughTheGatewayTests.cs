using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Testing;
using Xunit.Abstractions;

namespace Msp.EndToEnd;

[Collection(nameof(PlatformCollection))]
public sealed class TicketsThroughTheGatewayTests(Platform platform, ITestOutputHelper output)
{
    private static async Task<JsonElement> OkAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        response.StatusCode.ShouldBe(status, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task AClientOpensATicket_ATechnicianRepliesAndNotes_ResolvesIt_AndTheClientReopensItByReplying()
    {
        var (tenantId, slug) = await platform.CreateTenantAsync();
        var (_, client) = await platform.SignedInUserAsync("ClientUser", tenantId);
        var (_, technician) = await platform.SignedInUserAsync("Technician", null, tenantId);

        var ticket = await OkAsync(await client.PostAsJsonAsync("/api/tickets",
            new { subject = "Outlook keeps asking for my password", description = "Since this morning.", impact = "Low", urgency = "High" }), HttpStatusCode.Created);
        ticket.GetProperty("reference").GetString().ShouldBe($"{slug.ToUpperInvariant()}-1");
        var id = ticket.GetProperty("id").GetGuid();

        await OkAsync(await technician.PostAsJsonAsync($"/api/tickets/{id}/comments", new { body = "Please sign out and in again." }), HttpStatusCode.Created);
        await OkAsync(await technician.PostAsJsonAsync($"/api/tickets/{id}/comments", new { body = "MFA token out of sync.", visibility = "Internal" }), HttpStatusCode.Created);
        var conversation = await OkAsync(await client.GetAsync($"/api/tickets/{id}/comments"));
        conversation.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("body").GetString()).ShouldBe(["Please sign out and in again."]);

        await OkAsync(await technician.PostAsJsonAsync($"/api/tickets/{id}/status", new { status = "Resolved" }));
        await OkAsync(await client.PostAsJsonAsync($"/api/tickets/{id}/comments", new { body = "It is back." }), HttpStatusCode.Created);
        (await OkAsync(await client.GetAsync($"/api/tickets/{id}"))).GetProperty("status").GetString().ShouldBe("Open");

        var history = await OkAsync(await technician.GetAsync($"/api/tickets/{id}/history"));
        history.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("action").GetString())
            .ShouldBe(["Created", "Replied", "NoteAdded", "StatusChanged", "Replied", "StatusChanged"]);
        var seenByClient = await OkAsync(await client.GetAsync($"/api/tickets/{id}/history"));
        seenByClient.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("action").GetString()).ShouldNotContain("NoteAdded");
    }

    [Fact]
    public async Task ADeactivatedUser_IsRefusedByEveryServiceWithinASecond()
    {
        var (tenantId, _) = await platform.CreateTenantAsync();
        var (userId, client) = await platform.SignedInUserAsync("ClientAdmin", tenantId);
        (await client.GetAsync("/api/tickets")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Eventually.HoldsAsync(
            async () => await platform.Databases["tickets"].ScalarAsync<long>("SELECT count(*) FROM known_users WHERE id = $1", userId) == 1,
            TimeSpan.FromSeconds(10), "Tickets knows the user");

        (await platform.Gateway.PostAsync($"/api/users/{userId}/deactivate", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var watch = Stopwatch.StartNew();

        (await client.GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await Eventually.HoldsAsync(
            async () => (await client.GetAsync("/api/tickets")).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(1), "Tickets refuses the deactivated user within a second");
        output.WriteLine($"Tickets refused the deactivated user {watch.ElapsedMilliseconds} ms after the deactivation");
        (await client.PostAsJsonAsync("/api/tickets", new { subject = "s", description = "d", impact = "Low", urgency = "Low" })).StatusCode
            .ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AReactivatedUser_SignsInAgain_AndTicketsTakesTheirNewTokenButNotTheOldOne()
    {
        var (tenantId, _) = await platform.CreateTenantAsync();
        var (userId, old) = await platform.SignedInUserAsync("ClientUser", tenantId);
        await Eventually.HoldsAsync(
            async () => await platform.Databases["tickets"].ScalarAsync<long>("SELECT count(*) FROM known_users WHERE id = $1", userId) == 1,
            TimeSpan.FromSeconds(10), "Tickets knows the user");
        (await platform.Gateway.PostAsync($"/api/users/{userId}/deactivate", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        // How fast is the test above's business; this one is about what a reactivation restores.
        await Eventually.HoldsAsync(
            async () => (await old.GetAsync("/api/tickets")).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(10), "Tickets refuses the deactivated user");

        var user = await OkAsync(await platform.Gateway.PostAsync($"/api/users/{userId}/reactivate", null));
        var login = await platform.Anonymous().PostAsJsonAsync("/api/auth/login", new { email = user.GetProperty("email").GetString(), password = Platform.Password });
        var client = platform.Anonymous();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", (await OkAsync(login)).GetProperty("accessToken").GetString());

        await Eventually.HoldsAsync(
            async () => (await client.GetAsync("/api/tickets")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(10), "Tickets takes the reactivated user's new token");
        (await client.PostAsJsonAsync("/api/tickets", new { subject = "Back again", description = "d", impact = "Low", urgency = "Low" })).StatusCode
            .ShouldBe(HttpStatusCode.Created);
        (await old.GetAsync("/api/tickets")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await old.GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AForgedToken_IsRefusedAtTheGateway()
    {
        var client = platform.Anonymous();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "CfDJ8forged");

        var response = await client.GetAsync("/api/tickets");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString().ShouldBe("Invalid access token");
    }
}
