using Msp.Testing;

namespace Msp.Mail.Tests;

/// <summary>Rows written as the service would write them, for tests of the API that reads them.</summary>
public static class MailSeed
{
    public static async Task<Guid> DeliveryAsync(TestDatabase db, Guid tenantId, string status, string template = "ticket-received", string? recipient = null)
    {
        var id = Guid.CreateVersion7();
        await db.ScalarAsync<int>("""
            INSERT INTO deliveries (id, tenant_id, event_id, recipient, template, language, message_id, model, status, attempts, last_error, created_at)
            VALUES ($1, $2, $3, $4, $5, 'en', $6, '{"name":"Seed"}', $7, $8, $9, now()) RETURNING 1
            """, id, tenantId, Guid.CreateVersion7(), recipient ?? $"{id:N}@client.tests", template, $"{id:N}@seed.tests", status,
            status == "Failed" ? 3 : 0, status == "Failed" ? (object)"refused (550): mailbox unavailable" : DBNull.Value);
        return id;
    }

    public static async Task<Guid> UnmatchedAsync(TestDatabase db, string sender = "stranger@nowhere.tests", string subject = "Hello")
    {
        var id = Guid.CreateVersion7();
        var raw = System.Text.Encoding.UTF8.GetBytes($"From: {sender}\r\nTo: support@mail.test\r\nSubject: {subject}\r\nMessage-ID: <{id:N}@nowhere.tests>\r\n\r\nPlease help.\r\n");
        await db.ScalarAsync<int>("""
            INSERT INTO inbound_messages (id, message_id, sender, sender_name, subject, outcome, reason, received_at, processed_at, raw)
            VALUES ($1, $2, $3, '', $4, 'Unmatched', 'unknown domain', now(), now(), $5) RETURNING 1
            """, id, $"{id:N}@nowhere.tests", sender, subject, raw);
        return id;
    }
}
