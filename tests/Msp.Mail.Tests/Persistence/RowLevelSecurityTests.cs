using Msp.Testing;

namespace Msp.Mail.Tests.Persistence;

/// <summary>PostgreSQL itself keeps tenants' mail apart, whatever the code does.</summary>
[Collection(nameof(MailApiCollection))]
public sealed class RowLevelSecurityTests(MailFactory factory)
{
    [Fact]
    public async Task EveryTableWithTenantData_HasRowLevelSecurity_EnabledAndForced()
    {
        var tables = await RowLevelSecurity.TenantOwnedTablesAsync(factory.Database);
        tables.Select(t => t.Table).ShouldContain("deliveries");
        tables.Select(t => t.Table).ShouldContain("inbound_messages");
        tables.ShouldAllBe(t => t.Enabled && t.Forced);
    }

    [Fact]
    public async Task TheApplicationRole_SeesOnlyItsScopesDeliveries_AndNoUnmatchedMail()
    {
        var (a, _) = await factory.TenantAsync();
        var (b, _) = await factory.TenantAsync();
        await MailSeed.DeliveryAsync(factory.Database, a, "Sent");
        await MailSeed.DeliveryAsync(factory.Database, b, "Sent");
        await MailSeed.UnmatchedAsync(factory.Database);

        await using var asA = await RowLevelSecurity.OpenAsApplicationAsync(factory.Database, a);
        (await RowLevelSecurity.CountAsync(asA, "deliveries")).ShouldBe(1);
        (await RowLevelSecurity.CountAsync(asA, "inbound_messages")).ShouldBe(0);
    }
}
