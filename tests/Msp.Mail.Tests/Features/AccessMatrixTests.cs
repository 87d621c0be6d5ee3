extern alias mail;

using Msp.Testing;

namespace Msp.Mail.Tests.Features;

/// <summary>The access matrix over every endpoint of the Mail service.</summary>
[Collection(nameof(MailApiCollection))]
public sealed class AccessMatrixTests(MailFactory factory) : AccessMatrixContract<mail::Program>(factory)
{
    protected override int MinimumEndpoints => 8;

    protected override async Task<Guid> CreateTenantAsync() => (await factory.TenantAsync()).Id;

    /// <summary>A delivery of the tenant and an unmatched message (the provider's until assigned).</summary>
    protected override async Task<IReadOnlyDictionary<string, Guid>> SeedAsync(Guid tenantId) => new Dictionary<string, Guid>
    {
        ["/api/mail/deliveries"] = await MailSeed.DeliveryAsync(factory.Database, tenantId, "Failed"),
        ["/api/mail/unmatched"] = await MailSeed.UnmatchedAsync(factory.Database),
    };

    protected override async Task<HttpClient> SignedInAsync(Caller caller) => factory.ClientFor(await factory.UserAsync(caller));

    protected override object? Body(ApiEndpoint endpoint, Guid tenantId) => endpoint.Name switch
    {
        "POST /api/mail/unmatched/{id:guid}/assign" => new { tenantId },
        "PUT /api/mail/preferences" => new { disabled = new[] { "ticket-received" } },
        _ => null,
    };

    protected override bool ActsOnTheCallerOnly(ApiEndpoint endpoint) => endpoint.Pattern == "/api/mail/preferences";

    protected override IReadOnlyCollection<string> SharedResources => ["/api/mail/unmatched"];
}
