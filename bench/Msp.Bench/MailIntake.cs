using System.Collections.Concurrent;
using System.Diagnostics;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Npgsql;

namespace Msp.Bench;

/// <summary>Inbound mail: a thousand mails from the seeded tenants' users sent by SMTP to the support mailbox (four
/// connections), each timed from the moment the SMTP server accepted it to the moment its ticket was stored
/// (<c>tickets.created_at</c>); the rate is mails turned into tickets per second, from the first acceptance to the
/// last ticket. The path measured: SMTP server, IMAP poll, the mail service's processing and outbox, RabbitMQ, the
/// Tickets service's consumer.</summary>
public sealed class MailIntake(BenchOptions options)
{
    public async Task<PhaseResult> RunAsync()
    {
        var count = options.Mails;
        var run = Guid.NewGuid().ToString("N")[..8];
        await using var mailDb = NpgsqlDataSource.Create(options.MailDatabase);
        var senders = new List<string>();
        await using (var connection = await OwnerDb.OpenAsync(mailDb))
        await using (var read = new NpgsqlCommand(
            "SELECT email FROM known_users WHERE tenant_id IS NOT NULL AND deactivated_at IS NULL ORDER BY id LIMIT 500", connection))
        await using (var rows = await read.ExecuteReaderAsync())
        {
            while (await rows.ReadAsync())
            {
                senders.Add(rows.GetString(0));
            }
        }

        if (senders.Count == 0)
        {
            throw new InvalidOperationException("The mail service knows no client users; the seeding did not reach it.");
        }

        Console.WriteLine($"\nmail: sending {count} mails from {senders.Count} users to {options.SupportAddress} by SMTP 127.0.0.1:{options.SmtpPort}");
        var accepted = new ConcurrentDictionary<string, DateTimeOffset>();
        var smtpErrors = 0;
        var sending = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            using var smtp = new SmtpClient();
            await smtp.ConnectAsync("127.0.0.1", options.SmtpPort, SecureSocketOptions.None);
            int n;
            while ((n = Interlocked.Increment(ref next)) < count)
            {
                var subject = $"BENCH-MAIL {run} {n}";
                var message = new MimeMessage { Subject = subject };
                message.From.Add(MailboxAddress.Parse(senders[n % senders.Count]));
                message.To.Add(MailboxAddress.Parse(options.SupportAddress));
                message.Body = new TextPart("plain") { Text = $"Bench mail {n}: the printer on floor {n % 7} is jammed again." };
                try
                {
                    await smtp.SendAsync(message);
                    accepted[subject] = DateTimeOffset.UtcNow;
                }
                catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or IOException)
                {
                    Interlocked.Increment(ref smtpErrors);
                }
            }

            await smtp.DisconnectAsync(true);
        }));
        var sendSeconds = sending.Elapsed.TotalSeconds;
        Console.WriteLine($"  {accepted.Count} accepted by SMTP in {sendSeconds:0.0} s ({smtpErrors} refused)");

        await using var ticketsDb = NpgsqlDataSource.Create(options.TicketsDatabase);
        var created = new Dictionary<string, DateTimeOffset>();
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(10);
        while (created.Count < accepted.Count && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(500);
            created.Clear();
            await using var connection = await OwnerDb.OpenAsync(ticketsDb);
            await using var read = new NpgsqlCommand("SELECT subject, created_at FROM tickets WHERE subject LIKE $1", connection);
            read.Parameters.Add(new NpgsqlParameter { Value = $"BENCH-MAIL {run} %" });
            await using var rows = await read.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                created[rows.GetString(0)] = rows.GetFieldValue<DateTimeOffset>(1);
            }
        }

        var toTicket = new OperationStats("smtp accepted -> ticket");
        foreach (var (subject, at) in accepted)
        {
            var ok = created.TryGetValue(subject, out var ticketAt);
            toTicket.Record(ok ? Math.Max(0, (ticketAt - at).TotalMilliseconds) : 0, ok);
        }

        var first = accepted.Values.DefaultIfEmpty(DateTimeOffset.UtcNow).Min();
        var last = created.Values.DefaultIfEmpty(DateTimeOffset.UtcNow).Max();
        var span = last - first;
        var result = toTicket.Result(span);
        var phase = new PhaseResult("mail", Math.Round(span.TotalSeconds, 1), 4, [result], new Dictionary<string, double>
        {
            ["mailsSent"] = count,
            ["mailsAcceptedBySmtp"] = accepted.Count,
            ["ticketsOpened"] = created.Count,
            ["smtpSendsPerSecond"] = Math.Round(accepted.Count / Math.Max(0.001, sendSeconds), 1),
            ["mailsToTicketsPerSecond"] = Math.Round(created.Count / Math.Max(0.001, span.TotalSeconds), 1),
        });
        Report.Print(phase);
        return phase;
    }
}
