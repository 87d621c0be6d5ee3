using Msp.Testing;

namespace Msp.Tickets.Tests.Tenancy;

[Collection(nameof(TicketsCollection))]
public sealed class KnownTenantsTests(ServiceFactory<Program> factory)
    : KnownTenantsContract<Program>(factory);
