using Msp.Testing;

namespace Msp.Slas.Tests.Tenancy;

[Collection(nameof(SlasCollection))]
public sealed class KnownTenantsTests(ServiceFactory<Program> factory)
    : KnownTenantsContract<Program>(factory);
