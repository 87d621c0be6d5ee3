using Msp.Testing;

namespace Msp.Billing.Tests.Tenancy;

[Collection(nameof(BillingCollection))]
public sealed class KnownTenantsTests(ServiceFactory<Program> factory)
    : KnownTenantsContract<Program>(factory);
