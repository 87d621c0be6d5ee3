using Msp.Testing;

namespace Msp.Billing.Tests.Tenancy;

[Collection(nameof(BillingCollection))]
public sealed class KnownUsersTests(ServiceFactory<Program> factory)
    : KnownUsersContract<Program>(factory)
{
    /// <summary>The invoice list: an active caller gets an answer (a technician is refused it, 403), a deactivated one 401.</summary>
    protected override string ProbePath(Guid tenantId) => "/api/billing/invoices";
}
