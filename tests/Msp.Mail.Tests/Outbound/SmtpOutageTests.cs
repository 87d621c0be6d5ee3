using System.Net.Sockets;
using Msp.Contracts;
using Msp.Contracts.Tenants;
using Msp.Testing;
using Xunit.Abstractions;

namespace Msp.Mail.Tests.Outbound;

/// <summary>Acceptance 6: with the SMTP server stopped, notifications wait; when it is back, each goes out once. The
/// service is pointed at a mail server of this test's own (the shared one serves every other test), which is not
/// running when the events arrive and is started afterwards.</summary>
public sealed class SmtpOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string dir = Directory.CreateTempSubdirectory("msp-mail-outage").FullName;
    private readonly int[] ports = [FreePort(), FreePort(), FreePort()];
    private MailFactory host = null!;

    public async Task InitializeAsync()
    {
        // The tool is the shared server's: no second install.
        Directory.CreateSymbolicLink(Path.Combine(dir, "tool"), Path.Combine(TestServers.MailDir, "tool"));
        host = new MailFactory
        {
            Settings =
            {
                ["Msp:Mail:Smtp:Port"] = ports[0].ToString(), ["Msp:Mail:RetryMinInterval"] = "00:00:00.300", ["Msp:Mail:RetryMaxInterval"] = "00:00:01",
                ["Msp:Mail:RetryLimit"] = "1000",
            },
        };
        await host.InitializeAsync();
    }

    [Fact]
    public async Task Acceptance6_WithTheSmtpServerStopped_NotificationsWait_AndWhenItIsBack_EachGoesOutOnce()
    {
        const int count = 5;
        var addresses = Enumerable.Range(1, count).Select(i => $"outage{i}-{Guid.NewGuid():N}"[..20] + "@client.tests").ToList();
        foreach (var address in addresses)
        {
            var e = new PasswordResetRequested
            {
                EventId = EventIds.New(), TenantId = Provider.TenantId, OccurredAt = DateTimeOffset.UtcNow, UserId = Guid.CreateVersion7(), Email = address,
                DisplayName = "Outage Test", Language = "en", ResetToken = Guid.NewGuid().ToString("N"), ExpiresAt = DateTimeOffset.UtcNow.AddHours(1),
            };
            await host.DeliverAsync(e);
            await host.DeliverAsync(e); // delivered twice: still one mail
        }

        await Eventually.HoldsAsync(async () => await host.Database.ScalarAsync<long>(
            "SELECT count(*) FROM deliveries WHERE status = 'Pending' AND attempts >= 2 AND last_error LIKE 'relay unavailable%'") == count,
            TimeSpan.FromSeconds(20), "every notification waits, each tried more than once");
        (await host.Database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE status = 'Sent'")).ShouldBe(0);
        var attemptsWhileDown = await host.Database.ScalarAsync<long>("SELECT sum(attempts) FROM deliveries");

        await Shell.RunAsync(TestServers.Script("mail.sh"), "start", dir, ports[0].ToString(), ports[1].ToString(), ports[2].ToString());
        await Eventually.HoldsAsync(async () => await host.Database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE status = 'Sent'") == count,
            TimeSpan.FromSeconds(30), "every notification goes out once the server is back");
        await Task.Delay(2000); // a second sending would have happened by now

        var server = new MailServer(dir);
        var received = new List<int>();
        foreach (var address in addresses)
        {
            received.Add((await server.MailOfAsync(address)).Count);
        }

        received.ShouldAllBe(n => n == 1);
        output.WriteLine($"Acceptance 6: {count} notifications (each event delivered twice) waited while SMTP 127.0.0.1:{ports[0]} was down " +
            $"({attemptsWhileDown} failed attempts in all); after the server started, mails counted per recipient: {string.Join(", ", received)}");
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await Shell.RunAsync(TestServers.Script("mail.sh"), "stop", dir);
        Directory.Delete(dir, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The settings for a real relay (host, port, TLS mode, credentials), against the same mail server: with the
/// mailbox's credentials and opportunistic TLS mail goes out; with a wrong password it fails visibly to operators.</summary>
public sealed class RelaySettingsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task WithTheRightCredentials_MailGoesOut_AndWithAWrongPassword_TheDeliveryFailsVisibly()
    {
        var shared = MailServer.Shared;
        await using var good = new MailFactory
        {
            Settings = { ["Msp:Mail:Smtp:Username"] = "support", ["Msp:Mail:Smtp:Password"] = shared.Password, ["Msp:Mail:Smtp:Security"] = "StartTlsWhenAvailable" },
        };
        await good.InitializeAsync();
        await using var bad = new MailFactory
        {
            Settings = { ["Msp:Mail:Smtp:Username"] = "support", ["Msp:Mail:Smtp:Password"] = "not the password", ["Msp:Mail:RetryLimit"] = "2" },
        };
        await bad.InitializeAsync();

        var toGood = $"relay-{Guid.NewGuid():N}"[..18] + "@client.tests";
        var toBad = $"relay-{Guid.NewGuid():N}"[..18] + "@client.tests";
        await good.DeliverAsync(Reset(toGood));
        await bad.DeliverAsync(Reset(toBad));

        await shared.WaitForMailAsync(toGood, _ => true, TimeSpan.FromSeconds(30));
        await Eventually.HoldsAsync(async () => await bad.Database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE status = 'Failed'") == 1,
            TimeSpan.FromSeconds(20), "the delivery with a wrong password ends as failed");
        var error = await bad.Database.ScalarAsync<string>("SELECT last_error FROM deliveries WHERE status = 'Failed'");
        error.ShouldContain("relay unavailable");
        (await shared.MailOfAsync(toBad)).ShouldBeEmpty();
        output.WriteLine($"Relay settings: authenticated as 'support' with StartTlsWhenAvailable: delivered; wrong password: failed after 2 attempts ({error})");
    }

    private static PasswordResetRequested Reset(string email) => new()
    {
        EventId = EventIds.New(), TenantId = Provider.TenantId, OccurredAt = DateTimeOffset.UtcNow, UserId = Guid.CreateVersion7(), Email = email,
        DisplayName = "Relay Test", Language = "it", ResetToken = Guid.NewGuid().ToString("N"), ExpiresAt = DateTimeOffset.UtcNow.AddHours(1),
    };
}
