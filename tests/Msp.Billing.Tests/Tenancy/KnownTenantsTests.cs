using Msp.Testing;

namespace Msp.Billing.Tests.Tenancy;

[Collection(nameof(BillingCollection))]
public sealed class KnownTenantsTests(ServiceFactory<Program> factory)
    : KnownTenantsContract<Program>(factory)
{
    /// <summary>The known-tenants consumer, and the one that opens the tenant's billing account.</summary>
    protected override int TenantCreatedConsumers => 2;
}
