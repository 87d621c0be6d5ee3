extern alias mail;

using Microsoft.AspNetCore.Hosting;
using Msp.Contracts;
using Msp.Testing;

namespace Msp.Mail.Tests;

/// <summary>The Mail service alone, in-process against its own database and virtual host, sending through the shared
/// mail server; it reads no mailbox (the platform's tests do that).</summary>
public sealed class MailFactory : ServiceFactory<mail::Program>
{
    public override string Name => "mail";

    public string SupportAddress { get; } = $"support-{Guid.NewGuid():N}"[..20] + "@mail.test";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in MailServer.Shared.SettingsFor(SupportAddress))
        {
            if (!key.StartsWith("Msp:Mail:Imap", StringComparison.Ordinal))
            {
                Settings.TryAdd(key, value);
            }
        }

        base.ConfigureWebHost(builder);
    }

    /// <summary>Publishes the event on the bus and waits until the service consumed it.</summary>
    public async Task DeliverAsync(IIntegrationEvent e)
    {
        await Bus.Publish(e, e.GetType());
        await Eventually.HoldsAsync(() => Task.FromResult(Consumed.Of(e.EventId) >= 1), TimeSpan.FromSeconds(60), $"{e.GetType().Name} is consumed");
    }
}

[CollectionDefinition(nameof(MailApiCollection))]
public sealed class MailApiCollection : ICollectionFixture<MailFactory>;
