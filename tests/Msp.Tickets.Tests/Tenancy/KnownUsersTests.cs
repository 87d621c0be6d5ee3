using Msp.Testing;

namespace Msp.Tickets.Tests.Tenancy;

[Collection(nameof(TicketsCollection))]
public sealed class KnownUsersTests(ServiceFactory<Program> factory)
    : KnownUsersContract<Program>(factory)
{
    protected override string ProbePath(Guid tenantId) => "/api/tickets";
}
