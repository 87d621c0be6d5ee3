using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Msp.Contracts;
using Msp.Contracts.Tenants;
using Msp.Testing;

namespace Msp.Tickets.Tests;

/// <summary>The Tickets service in-process, with helpers to make the tenants and users it learns of from events.</summary>
public sealed class TicketsFactory : ServiceFactory<Program>
{
    public const long MaxAttachmentBytes = 64 * 1024;

    public string AttachmentsPath { get; } = Path.Combine(Path.GetTempPath(), "msp-tests-attachments", Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Msp:Tickets:AttachmentsPath", AttachmentsPath);
        builder.UseSetting("Msp:Tickets:MaxAttachmentBytes", MaxAttachmentBytes.ToString());
        builder.UseSetting("Msp:Tickets:AutoCloseEvery", "01:00:00"); // the tests run the job themselves
    }

    /// <summary>Publishes the event on the bus and waits until the service consumed it.</summary>
    public async Task DeliverAsync(IIntegrationEvent e)
    {
        await Bus.Publish(e, e.GetType());
        await Eventually.HoldsAsync(() => Task.FromResult(Consumed.Of(e.EventId) >= 1), TimeSpan.FromSeconds(15), $"{e.GetType().Name} is consumed");
    }

    /// <summary>A user the service hears of as the Tenants service announces them (<see cref="UserInvited"/>).</summary>
    public async Task<Caller> InvitedAsync(Caller caller, string displayName, string email)
    {
        await DeliverAsync(new UserInvited
        {
            EventId = EventIds.New(), TenantId = caller.TenantId ?? Provider.TenantId, OccurredAt = DateTimeOffset.UtcNow, UserId = caller.Id,
            Email = email, DisplayName = displayName, Role = caller.Role,
        });
        return caller;
    }

    public static object NewTicket(string subject = "Printer on floor 2 is jammed", string impact = "Medium", string urgency = "High", string? category = null) =>
        new { subject, description = "It shows error E-42 and nobody can print.", impact, urgency, category };

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>Opens a ticket as a client and answers its JSON.</summary>
    public static async Task<JsonElement> OpenAsync(HttpClient client, object? body = null)
    {
        var response = await client.PostAsJsonAsync("/api/tickets", body ?? NewTicket());
        response.EnsureSuccessStatusCode();
        return await ReadAsync(response);
    }

    /// <summary>The events of one kind the service wrote for a ticket, as stored in its outbox.</summary>
    public Task<long> EventsAsync(string type, Guid ticketId) => Database.ScalarAsync<long>(
        "SELECT count(*) FROM outbox WHERE message_type LIKE '%.' || $1 AND payload->>'ticketId' = $2", type, ticketId.ToString());

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(AttachmentsPath))
        {
            Directory.Delete(AttachmentsPath, recursive: true);
        }
    }
}

[CollectionDefinition(nameof(TicketsApiCollection))]
public sealed class TicketsApiCollection : ICollectionFixture<TicketsFactory>;
