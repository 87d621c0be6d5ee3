using Msp.Testing;

namespace Msp.Slas.Tests.Tenancy;

[Collection(nameof(SlasApiCollection))]
public sealed class KnownTenantsTests(SlasFactory factory)
    : KnownTenantsContract<Program>(factory);
