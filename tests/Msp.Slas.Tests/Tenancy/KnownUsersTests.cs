using Msp.Testing;

namespace Msp.Slas.Tests.Tenancy;

[Collection(nameof(SlasCollection))]
public sealed class KnownUsersTests(ServiceFactory<Program> factory)
    : KnownUsersContract<Program>(factory)
{
    protected override string ProbePath(Guid tenantId) => "/api/slas/probe";
}
