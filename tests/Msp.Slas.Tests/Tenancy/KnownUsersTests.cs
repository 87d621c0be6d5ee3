using Msp.Testing;

namespace Msp.Slas.Tests.Tenancy;

[Collection(nameof(SlasApiCollection))]
public sealed class KnownUsersTests(SlasFactory factory)
    : KnownUsersContract<Program>(factory)
{
    protected override string ProbePath(Guid tenantId) => $"/api/slas/tenants/{tenantId}";
}
