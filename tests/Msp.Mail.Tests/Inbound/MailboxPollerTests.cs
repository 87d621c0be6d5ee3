extern alias mail;

using Msp.Testing;
using Xunit.Abstractions;

namespace Msp.Mail.Tests.Inbound;

/// <summary>Several replicas of the mail service read one support mailbox (issue 23): one reads it at a time, and the
/// Message-ID stands behind that, so each mail still makes one ticket.</summary>
[Collection(nameof(MailPlatformCollection))]
public sealed class MailboxPollerTests(MailPlatform platform, ITestOutputHelper output)
{
    [Fact]
    public async Task TwoReplicasReadingOneMailbox_TicketEachMailOnce()
    {
        await using var replica = new ServiceFactory<mail::Program> { ReplicaOf = platform.Mail };
        foreach (var (key, value) in platform.Mail.Settings)
        {
            replica.Settings[key] = value;
        }

        await replica.InitializeAsync();
        var (tenant, _) = await platform.TenantAsync();
        var client = await platform.ClientAsync(tenant);
        var tag = Guid.NewGuid().ToString("N")[..6];
        var subjects = Enumerable.Range(0, 12).Select(i => $"Replicas {tag} mail {i}").ToArray();
        foreach (var subject in subjects)
        {
            await platform.MailServer.SendAsync(MailServer.Mail(client.Email, platform.SupportAddress, subject, "Both replicas poll every half second."));
        }

        foreach (var subject in subjects)
        {
            await platform.TicketFromMailAsync(tenant, subject);
        }

        // Both replicas go on polling for a few rounds after the last ticket opened: nothing is read a second time.
        await Task.Delay(TimeSpan.FromSeconds(3));
        foreach (var subject in subjects)
        {
            (await platform.TicketsWithSubjectAsync(tenant, subject)).ShouldBe(1, subject);
        }

        (await platform.Mail.Database.ScalarAsync<long>("SELECT count(*) FROM inbound_messages WHERE subject LIKE $1", $"Replicas {tag} %")).ShouldBe(subjects.Length);
        (await platform.Tickets.Database.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE tenant_id = $1", tenant)).ShouldBe(subjects.Length);
        output.WriteLine($"{subjects.Length} mails read by two replicas of the mail service: {subjects.Length} inbound records, {subjects.Length} tickets, none twice");
    }
}
