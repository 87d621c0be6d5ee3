using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Contracts;
using Msp.Contracts.Tickets;
using Msp.ServiceDefaults.Identity;
using Msp.Testing;

namespace Msp.Mail.Tests.Features;

/// <summary>The delivery log and the notification preferences, through the API.</summary>
[Collection(nameof(MailApiCollection))]
public sealed class MailApiTests(MailFactory factory)
{
    [Fact]
    public async Task Operators_SeeFailedDeliveries_WithTheirError_AndSendOneAgain()
    {
        var (tenant, _) = await factory.TenantAsync();
        var failed = await MailSeed.DeliveryAsync(factory.Database, tenant, "Failed");
        var operatorClient = factory.ClientFor(await factory.UserAsync(Caller.Staff(MspRoles.Operator)));

        var page = await operatorClient.GetFromJsonAsync<JsonElement>($"/api/mail/deliveries?status=Failed&tenantId={tenant}");
        var item = page.GetProperty("items").EnumerateArray().Single();
        item.GetProperty("id").GetGuid().ShouldBe(failed);
        item.GetProperty("lastError").GetString()!.ShouldContain("550");

        (await operatorClient.PostAsync($"/api/mail/deliveries/{failed}/retry", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await factory.Database.ScalarAsync<string>("SELECT status FROM deliveries WHERE id = $1", failed)).ShouldNotBe("Failed");
        var again = await operatorClient.PostAsync($"/api/mail/deliveries/{failed}/retry", null);
        await again.ShouldNameAsync(HttpStatusCode.Conflict, "status");
    }

    [Fact]
    public async Task ListingWithABadStatusOrLimit_AnswersAProblemNamingTheField()
    {
        var operatorClient = factory.ClientFor(await factory.UserAsync(Caller.Staff(MspRoles.Operator)));
        var response = await operatorClient.GetAsync("/api/mail/deliveries?limit=0");
        await response.ShouldNameAsync(HttpStatusCode.BadRequest, "limit");
        var assign = await operatorClient.PostAsJsonAsync($"/api/mail/unmatched/{Guid.NewGuid()}/assign", new { });
        await assign.ShouldNameAsync(HttpStatusCode.BadRequest, "tenantId");
        (await operatorClient.GetAsync($"/api/mail/deliveries/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AUserTurnsOffAnOptionalNotification_AndNoLongerReceivesIt_ButCannotTurnOffAnEssentialOne()
    {
        var (tenant, _) = await factory.TenantAsync();
        var client = await factory.ClientUserAsync(tenant);
        var http = factory.ClientFor(client);

        var refused = await http.PutAsJsonAsync("/api/mail/preferences", new { disabled = new[] { "staff-reply" } });
        await refused.ShouldNameAsync(HttpStatusCode.BadRequest, "disabled[0]");
        var unknown = await http.PutAsJsonAsync("/api/mail/preferences", new { disabled = new[] { "newsletter" } });
        unknown.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var changed = await http.PutAsJsonAsync("/api/mail/preferences", new { disabled = new[] { "ticket-received" } });
        changed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var preferences = await http.GetFromJsonAsync<JsonElement>("/api/mail/preferences");
        preferences.GetProperty("notifications").EnumerateArray().Single(n => n.GetProperty("notification").GetString() == "ticket-received")
            .GetProperty("enabled").GetBoolean().ShouldBeFalse();

        var created = new TicketCreated
        {
            EventId = EventIds.New(), TenantId = tenant, OccurredAt = DateTimeOffset.UtcNow, TicketId = Guid.CreateVersion7(), Sequence = 1, Number = 1,
            Reference = "PREF-1", Priority = "P3", Status = "New", Source = "Portal", RequesterId = client.Id, Subject = "Muted",
        };
        await factory.DeliverAsync(created);
        var replied = new TicketRepliedByStaff
        {
            EventId = EventIds.New(), TenantId = tenant, OccurredAt = DateTimeOffset.UtcNow, TicketId = created.TicketId, Sequence = 2, CommentId = Guid.CreateVersion7(),
            AuthorId = Guid.CreateVersion7(), IsFirstResponse = true, Body = "An answer.",
        };
        await factory.DeliverAsync(replied);
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE event_id = $1", created.EventId)).ShouldBe(0);
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE event_id = $1", replied.EventId)).ShouldBe(1);
    }

    [Fact]
    public async Task ConcurrentFirstChangesOfPreferences_NeverAnswer500()
    {
        var (tenant, _) = await factory.TenantAsync();
        var http = factory.ClientFor(await factory.ClientUserAsync(tenant));
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => http.PutAsJsonAsync("/api/mail/preferences", new { disabled = new[] { "ticket-resolved" } })));
        answers.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK || r.StatusCode == HttpStatusCode.Conflict);
    }
}
