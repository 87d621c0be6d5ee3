using Msp.Testing;

namespace Msp.Billing.Tests.Tenancy;

[Collection(nameof(BillingCollection))]
public sealed class KnownUsersTests(ServiceFactory<Program> factory)
    : KnownUsersContract<Program>(factory)
{
    protected override string ProbePath(Guid tenantId) => "/api/billing/probe";
}
