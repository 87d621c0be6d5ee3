using Msp.Testing;

namespace Msp.Slas.Tests.Tenancy;

[Collection(nameof(SlasCollection))]
public sealed class KnownUsersTests(ServiceFactory<Program> factory)
    : KnownUsersContract<Program>(factory)
{
    /// <summary>The service has no endpoints of its own yet; the user check runs before routing, so any signed-in
    /// request shows it (an active user's request reaches routing and gets 404).</summary>
    protected override string ProbePath(Guid tenantId) => "/api/slas/not-yet";
}
