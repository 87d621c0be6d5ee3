using Msp.Testing;

namespace Msp.Billing.Tests.Tenancy;

public sealed class KnownTenantsTests(ServiceFactory<Program> factory)
    : KnownTenantsContract<Program>(factory), IClassFixture<ServiceFactory<Program>>;
